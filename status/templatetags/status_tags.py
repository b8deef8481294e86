from django import template

register = template.Library()


def _shown(text_lang, lang):
    text, shown = text_lang
    return {"text": text, "lang": shown, "fallback": bool(text) and shown != lang}


@register.filter
def body_for(update, lang):
    """An update's message in ``lang``, or in the other language with a flag."""
    return _shown(update.body_in(lang), (lang or "fr")[:2])


@register.filter
def title_for(incident, lang):
    return _shown(incident.title_in(lang), (lang or "fr")[:2])


@register.filter
def postmortem_for(incident, lang):
    return _shown(incident.postmortem_in(lang), (lang or "fr")[:2])
