import pytest

from search import services


@pytest.fixture
def index_doc(db):
    """Index a document dict straight into the search index."""

    def make(kind="article", id=1, lang="fr", title="", **fields):
        doc = {"kind": kind, "id": id, "lang": lang, "title": title, **fields}
        doc.setdefault("url", f"/{lang}/{kind}/{id}/")
        return services.document_upsert(doc)

    return make


@pytest.fixture
def corpus(index_doc):
    """A small bilingual corpus shared by the ranking tests."""
    index_doc(
        id=1,
        title="Remboursement des factures d'électricité",
        summary="Comment obtenir le remboursement d'une facture payée deux fois.",
        body="Si une facture a été prélevée deux fois, demandez un remboursement.",
        category="Facturation",
        tags=["facture", "paiement"],
        source="billing/refunds",
    )
    index_doc(
        id=2,
        title="Configurer la box internet",
        summary="Brancher et configurer votre box pour accéder à internet.",
        body="Reliez la box à la prise téléphonique puis attendez que le voyant "
        "soit vert.",
        category="Internet",
    )
    index_doc(
        id=3,
        lang="en",
        title="Getting a refund on your bills",
        summary="How refunds are paid when you were billed twice.",
        body="When a payment was taken twice, we refund the duplicate charge.",
        category="Billing",
        source="billing/refunds",
    )
    index_doc(
        id=4,
        lang="en",
        title="Running the speed test",
        summary="Measure how fast your connection runs.",
        body="Close other applications before running the test.",
        category="Internet",
    )
    index_doc(
        kind="topic",
        id=5,
        title="Ma box clignote en orange",
        question="Depuis ce matin le voyant de la box clignote.",
        solution="Redémarrez la box en la débranchant dix secondes.",
        solved=True,
        category="Internet et box",
    )
    index_doc(
        kind="topic",
        id=6,
        title="La box clignote toujours",
        question="Le voyant de ma box clignote et rien ne marche.",
        solved=False,
        category="Internet et box",
    )
