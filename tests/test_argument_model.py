"""The learned argument model: train on invented documents, save, load, score, ingest with the
learned stages; the shipped model; `claimgraph train` on a missing corpora folder."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
from conftest import ROOT, cli

from claimgraph.cli import COMMANDS
from claimgraph.corpora.documents import CorpusDoc, Relation, Unit
from claimgraph.graph.store import DiskStore
from claimgraph.ingest.argument_decoding import choose_targets, select_edges
from claimgraph.ingest.argument_features import Candidate, candidates
from claimgraph.ingest.argument_model import ArgumentModel, fallback_edges, shipped_model_dir
from claimgraph.ingest.argument_stages import claim_of
from claimgraph.ingest.claims import Claim, Sentence
from claimgraph.ingest.nlp import load_nlp
from claimgraph.training.arguments import train_argument_model

ARGUED = [
    ("Cities should ban cars from their centres.", "Traffic fumes harm the lungs of children."),
    ("Homework must be limited in primary school.", "Young pupils need time to play outside."),
    ("Public libraries deserve more funding.", "They give everyone free access to books."),
    ("Uniforms should be optional in schools.", "Pupils learn to choose for themselves."),
    ("Night trains must replace short flights.", "Trains emit far less carbon per passenger."),
    ("Voting should be compulsory for adults.", "Turnout would then reflect the whole country."),
    ("Museums ought to be free on Sundays.", "Families with little money could visit them."),
    ("Sugar taxes should be raised.", "Sweet drinks cause tooth decay in children."),
    ("Remote work must remain an option.", "Commuting wastes hours of every week."),
    ("Cyclists need separate lanes everywhere.", "Mixed traffic injures many cyclists each year."),
]
CHATTER = [
    "The meeting was held on a Tuesday in March.",
    "Posted at 10:42 in the evening.",
    "Thanks for reading and see you next week.",
]
SETTING = [f"The survey number {n} was printed on blue paper." for n in range(1, 11)]


def invented_docs() -> list[CorpusDoc]:
    """Ten short documents: chatter, a claim, its premise, a neutral line."""
    docs = []
    for k, (claim, premise) in enumerate(ARGUED):
        parts = [CHATTER[k % 3], claim, premise, SETTING[k]]
        text = " ".join(parts)
        c0 = text.index(claim)
        p0 = text.index(premise)
        units = [
            Unit("u1", c0, c0 + len(claim), "claim"),
            Unit("u2", p0, p0 + len(premise), "premise"),
        ]
        docs.append(
            CorpusDoc(
                f"inv/{k}",
                "invented",
                text,
                "post",
                None,
                None,
                units,
                [Relation("u2", "u1", "supports")],
            )
        )
    return docs


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("model") / "arguments"
    cache = tmp_path_factory.mktemp("parsed")
    report = train_argument_model(invented_docs(), folder, seed=0, cache_dir=cache)
    return folder, report


def _cands(text: str):
    return candidates([(0, load_nlp()(text))])


def test_tiny_model_saves_loads_and_ranks_argued_sentences_higher(tiny_model):
    folder, report = tiny_model
    assert {"weights.npz", "model.json", "MODEL_CARD.md"} <= {p.name for p in folder.iterdir()}
    assert report["positive_sentences"] == 20 and report["documents"] == 10
    model = ArgumentModel.load(folder)
    cands = _cands(
        "The minutes were printed on Tuesday. Parks should stay open at night. "
        "Young people need safe places to meet."
    )
    scores = model.unit_scores(cands)
    assert scores[1] > scores[0] and scores[2] > scores[0]


def ingested_claims(corpus, rules, store) -> list[str]:
    """Ingest `corpus` with the rules file `rules` through the CLI; the claims' texts."""
    done = cli("ingest", str(corpus), "--store", str(store), "--rules", str(rules), "--quiet")
    assert done.returncode == 0, done.stderr
    query = "PREFIX schema: <https://schema.org/> SELECT ?t WHERE { ?c a schema:Claim ; schema:text ?t }"
    return [str(r[0]) for r in DiskStore(store).dataset().query(query)]


def test_tiny_model_extracts_claims_through_ingest(tiny_model, tmp_path):
    folder, _ = tiny_model
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "post.txt").write_text(
        "Posted on a Monday in June.\n\nBus fares should be abolished in every city. "
        "Free buses would take cars off the roads.\n",
        encoding="utf-8",
    )
    rules = tmp_path / "rules.toml"
    rules.write_text(
        "[pipeline]\nstages = ['works', 'posts', 'people', 'work-nodes', 'events', 'claims',\n"
        "  'claimgraph.ingest.argument_stages:argument_units', 'claim-nodes',\n"
        "  'claimgraph.ingest.argument_stages:argument_relations']\n"
        f"[model]\narguments = '{folder.as_posix()}'\nclaim_threshold = 0.5\n",
        encoding="utf-8",
    )
    texts = set(ingested_claims(corpus, rules, tmp_path / "store"))
    assert any("Bus fares should be abolished" in t for t in texts)
    assert not any("Posted on a Monday" in t for t in texts)


def test_shipped_model_finds_a_claim_in_an_argued_paragraph():
    model = ArgumentModel.load(shipped_model_dir())
    cands = _cands(
        "I think the council should keep the swimming pool open. It is the only place where "
        "children from poor families can learn to swim, and closing it would save very little."
    )
    scores = model.unit_scores(cands)
    assert max(scores) >= model.claim_threshold


def test_train_with_missing_corpora_folder_is_one_line_and_exit_2(tmp_path):
    args = ["train", "--corpora", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")]
    if "train" in COMMANDS:
        done = cli(*args)
    else:  # until the command is listed in claimgraph/cli.py
        code = (
            "import sys, claimgraph.cli as c; c.COMMANDS.append('train'); "
            f"sys.exit(c.main({args!r}))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "nowhere" in done.stderr


def test_fallback_edges_link_units_by_paragraph_position():
    text = "Parks must stay open. Children need space. Old people need benches."
    cands = candidates([(0, load_nlp()(text)), (80, load_nlp()("Cars should slow down here."))])
    profiles = np.array([[0.9, 0.2, 0.1], [0.9, 0.8, 0.1], [0.9, 0.1, 0.7], [0.9, 0.5, 0.2]])
    units = [0, 1, 2, 3]
    previous = {(e.source, e.target) for e in fallback_edges(cands, profiles, units, "previous")}
    assert previous == {(1, 0), (2, 1)}
    hub = {(e.source, e.target) for e in fallback_edges(cands, profiles, units, "hub")}
    assert hub == {(0, 1), (2, 1), (3, 1)}  # the paragraph's likeliest target; its own -> top
    assert fallback_edges(cands, profiles, units, "none") == []


def test_document_without_learned_edges_gets_the_models_fallback(tiny_model):
    folder, _ = tiny_model
    loaded = ArgumentModel.load(folder)
    cands = _cands("Bus fares should be abolished. Free buses would take cars off the roads.")
    profiles = loaded.unit_profiles(cands)
    for fallback, expected in (("previous", [(1, 0, "supports")]), ("none", [])):
        model = replace(loaded, settings={**loaded.settings, "fallback": fallback})
        edges = model.relations(cands, profiles, [0, 1], threshold=1.01)  # no pair reaches it
        assert [(e.source, e.target, e.relation) for e in edges] == expected


def test_each_unit_picks_one_target_weighed_by_how_likely_it_is_a_source():
    keys = [(0, 1), (0, 2), (1, 0), (1, 2)]
    link = np.array([0.0, np.log(3.0), 2.0, 2.0])  # unit 0: 1:3 odds for target 2; unit 1: a tie
    dispute = np.array([0.1, 0.9, 0.2, 0.2])
    source_p = np.array([0.8, 0.5, 0.0])
    best = choose_targets(keys, link, dispute, source_p)
    assert set(best) == {0, 1}  # one edge per source at most
    assert (best[0].target, best[0].relation) == (2, "disputes")
    assert best[0].confidence == pytest.approx(0.8 * 0.75)
    assert (best[1].target, best[1].relation) == (0, "supports")  # a tie keeps the first
    assert best[1].confidence == pytest.approx(0.5 * 0.5)
    kept = select_edges(best, units=3, threshold=0.5, share=0.0)
    assert [(e.source, e.target) for e in kept] == [(0, 2)]
    assert len(select_edges(best, units=3, threshold=0.9, share=0.5)) == 2  # top half of 3 units


def test_listwise_fit_puts_each_groups_mass_on_its_positive_row():
    """Groups are given in any order; a dense column and a sparse one both carry signal."""
    from scipy import sparse

    from claimgraph.training.listwise import fit_listwise

    rng = np.random.default_rng(1)
    groups, rows, positive = [], [], []
    for g in rng.permutation(60):
        right = int(rng.integers(0, 3))
        for k in range(3):
            dense = rng.normal() + (1.5 if k == right else 0.0)
            cue = float(k == right and rng.random() < 0.7)
            rows.append([dense, cue, 1.0])  # column 2: set everywhere, so it cannot matter
            groups.append(g)
            positive.append(int(k == right))
    x = sparse.csr_matrix(np.array(rows))
    shuffled = rng.permutation(len(rows))  # a group's rows need not be next to each other
    w = fit_listwise(x[shuffled], np.array(groups)[shuffled], np.array(positive)[shuffled], 10.0)
    assert w[0] > 0.5 and w[1] > 0.5
    z = np.asarray(x @ w).reshape(-1, 3)  # rows were appended group by group
    assert (z.argmax(axis=1) == np.array(positive).reshape(-1, 3).argmax(axis=1)).mean() > 0.8


def test_expected_f1_rule_follows_each_documents_density():
    from claimgraph.ingest.argument_decoding import chosen_units, expected_f1_units

    dense = np.array([0.9, 0.8, 0.7, 0.6, 0.55, 0.3])
    chatty = np.array([0.1, 0.7, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
    assert expected_f1_units(dense) == [0, 1, 2, 3, 4]  # all but the 0.3 (< half of F1 0.80)
    assert expected_f1_units(chatty) == [1]  # 2 * 0.7 / (1 + 1.4) beats 2 * 0.8 / (2 + 1.4)
    for p in (dense, chatty):  # no other k of the likeliest units expects a higher F1
        kept = expected_f1_units(p)
        best = 2 * p[kept].sum() / (len(kept) + p.sum())
        top = np.cumsum(np.sort(p)[::-1])
        assert np.all(2 * top / (np.arange(1, len(p) + 1) + p.sum()) <= best + 1e-12)
    assert expected_f1_units(np.zeros(3)) == [] and expected_f1_units(np.array([])) == []
    assert chosen_units(dense, "threshold", 0.65) == [0, 1, 2]
    assert chosen_units(dense, "expected-f1", 0.65) == expected_f1_units(dense)


def test_tiny_model_links_the_premise_to_its_claim(tiny_model):
    folder, _ = tiny_model
    model = ArgumentModel.load(folder)
    cands = _cands(
        "The report came out on a Friday. Bus fares should be abolished in every city. "
        "Free buses would take cars off the roads."
    )
    profiles = model.unit_profiles(cands)
    best = model.best_edges(cands, profiles, [0, 1, 2])
    assert (best[2].target, best[2].relation) == (1, "supports")
    assert best[2].confidence > best[0].confidence


def test_a_clause_edge_starts_at_that_clauses_own_claim():
    text = "Fares should fall because buses are empty."
    sentence = Sentence(0, len(text), text, 0, True)
    first = Claim("Fares should fall", 0, 17, kind="thesis", rule="learned-unit")
    second = Claim("because buses are empty", 18, 41, kind="thesis", rule="learned-unit")
    sentence.claims = [first, second]
    clause = Candidate(
        start=18, end=41, text="because buses are empty", paragraph=0, index=1, par_index=1
    )
    assert claim_of([sentence], clause) is second
    sentence.claims = [Claim("Fares should fall", 0, 17, kind="attributed", rule="attribution")]
    assert claim_of([sentence], clause) is sentence.claims[0]  # a reported claim covers it


def test_every_unit_of_a_cut_sentence_becomes_its_own_claim(tmp_path):
    """A sentence cut into two units gives two claims (the second unit used to be taken for
    a rule's attributed claim, because the first had just been added to its sentence)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "letter.txt").write_text(
        "The council should close the old depot, because its roof leaks into the yard.\n",
        encoding="utf-8",
    )
    rules = tmp_path / "claimgraph.toml"
    rules.write_text("[model]\nunits = 'clauses'\nclaim_threshold = 0.0\n", encoding="utf-8")
    assert sorted(ingested_claims(corpus, rules, tmp_path / "store")) == [
        "The council should close the old depot,",
        "because its roof leaks into the yard",
    ]


JOINED = [
    ("Cities should ban cars", "the air would be cleaner"),
    ("Homework must be limited", "children would play outside more"),
    ("Libraries deserve more money", "everyone could borrow books"),
    ("Uniforms should be optional", "pupils would choose for themselves"),
    ("Night trains must replace flights", "travel would emit less carbon"),
    ("Voting should be compulsory", "turnout would reflect the country"),
]


def joined_docs() -> list[CorpusDoc]:
    """Sentences of two annotated units joined by ", and": a cut the clause rule never makes."""
    docs = []
    for k, (a, b) in enumerate(JOINED):
        text = f"{a}, and {b}. {SETTING[k]}"
        units = [
            Unit("u1", 0, len(a) + 1, "claim"),
            Unit("u2", len(a) + 2, text.index("."), "premise"),
        ]
        docs.append(CorpusDoc(f"j/{k}", "joined", text, "post", None, None, units, []))
    return docs


def test_learned_segmenter_cuts_where_annotated_units_meet_and_survives_save_load(tmp_path):
    from claimgraph.ingest.argument_features import split_clauses
    from claimgraph.ingest.argument_segments import LearnedSplit
    from claimgraph.training.parsed import parse_texts
    from claimgraph.training.segments import fit_segmenter

    docs = joined_docs()
    w, b = fit_segmenter(docs, parse_texts([d.text for d in docs], tmp_path / "parsed"), seed=0)
    text = "Parks should stay open at night, and young people would meet there safely."
    toks = [t for t in load_nlp()(text) if not t.is_space]
    assert len(split_clauses(toks)) == 1  # the rule keeps the sentence whole
    pieces = LearnedSplit(w, b, 0.5)(toks)
    assert [" ".join(t.text for t in p) for p in pieces] == [
        "Parks should stay open at night ,",
        "and young people would meet there safely .",
    ]
    model = ArgumentModel.load(shipped_model_dir())
    learned = replace(
        model,
        settings={
            **model.settings,
            "units": "learned",
            "segment_threshold": 0.5,
            "segment_bias": b,
        },
        seg_w=w,
    )
    learned.save(tmp_path / "m")
    loaded = ArgumentModel.load(tmp_path / "m")
    assert isinstance(loaded.splitter, LearnedSplit) and np.array_equal(loaded.seg_w, w)
    cands = candidates([(0, load_nlp()(text))], clauses=loaded.splitter)
    assert [c.text for c in cands] == [
        "Parks should stay open at night,",
        "and young people would meet there safely.",
    ]


def test_training_records_how_it_chose_the_units(tiny_model):
    _, report = tiny_model
    assert set(report["segment_choice"]) == {"clauses", "0.1", "0.25", "0.5"}
    assert report["units"] in ("clauses", "learned")


def test_units_setting_picks_the_shipped_segmenter_and_refuses_a_model_without_one(tmp_path):
    from types import SimpleNamespace

    from claimgraph.ingest.argument_segments import LearnedSplit
    from claimgraph.ingest.argument_stages import _model
    from claimgraph.ingest.rules import RulesError

    def state(**table):
        return SimpleNamespace(rules=SimpleNamespace(model=table, source="bundled"))

    default, _, _ = _model(state())
    own = default.settings["units"]  # the shipped model's own choice, made in training
    assert isinstance(default.splitter, LearnedSplit) == (own == "learned")
    learned, _, _ = _model(state(units="learned"))
    assert isinstance(learned.splitter, LearnedSplit)
    assert _model(state(units="clauses"))[0].splitter is True
    assert _model(state(units="sentences"))[0].splitter is False
    with pytest.raises(RulesError, match="units must be one of"):
        _model(state(units="words"))
    shipped = ArgumentModel.load(shipped_model_dir())
    bare = replace(shipped, settings={**shipped.settings, "units": "clauses"}, seg_w=None)
    bare.save(tmp_path / "bare")
    with pytest.raises(RulesError, match="needs a model trained with a segmenter"):
        _model(state(units="learned", arguments=str(tmp_path / "bare")))
    replace(bare, settings={**bare.settings, "units": "learned"}).save(tmp_path / "broken")
    with pytest.raises(RulesError, match="learned segmenter's weights are missing"):
        _model(state(arguments=str(tmp_path / "broken")))


def test_polarity_learns_only_from_corpora_that_annotate_disputes():
    """A supports-only scheme (CDCP's) says nothing about polarity: its linked pairs leave the
    polarity model as it would be without them."""
    from scipy import sparse

    from claimgraph.ingest import argument_features as F
    from claimgraph.training.arguments import _fit
    from claimgraph.training.relations import PairData, fit_relations

    rng = np.random.default_rng(0)
    n = 120
    cue = rng.integers(0, 2, n)  # feature 0: a dispute cue in the annotating corpus
    label = np.where(rng.random(n) < 0.5, 0, np.where(cue == 1, 2, 1))
    polar = np.arange(n) < 80  # the last 40 pairs: a corpus without disputes, cue on, supports
    label[~polar] = 1
    cue[~polar] = 1
    x = sparse.csr_matrix(
        (np.ones(n, np.float32), (np.arange(n), cue * 1 + 2)), shape=(n, F.PAIR_DIM)
    )
    keys = [(k % 6, (k + 1) % 6) for k in range(n)]
    data = PairData(x, np.arange(n) // 6, keys, label, np.ones(n, int), polar)
    alone = PairData(x[:80], data.doc[:80], keys[:80], label[:80], np.ones(80, int), polar[:80])
    w, b = fit_relations(data, np.ones(n, bool), _fit, 0)
    w_alone, b_alone = fit_relations(alone, np.ones(80, bool), _fit, 0)
    assert np.allclose(w[1], w_alone[1]) and np.isclose(b[1], b_alone[1])
    assert w[1, 3] > w[1, 2]  # the cue says disputes, though the other corpus has it on supports


REBUTTALS = [
    "Some people say this would cost far too much.",
    "Critics claim nobody really wants that.",
]


def disputed_docs() -> list[CorpusDoc]:
    """The invented documents, every other one with a rebuttal that disputes its claim."""
    docs = []
    for k, doc in enumerate(invented_docs()):
        if k % 2:
            docs.append(doc)
            continue
        rebuttal = REBUTTALS[k % 4 // 2]
        text = f"{doc.text} {rebuttal}"
        unit = Unit("u3", len(doc.text) + 1, len(text), "rebuttal")
        relations = [*doc.relations, Relation("u3", "u1", "disputes")]
        docs.append(replace(doc, text=text, units=[*doc.units, unit], relations=relations))
    return docs


def test_stance_pairs_join_polarity_training_at_a_weight_chosen_by_cross_validation(tmp_path):
    from claimgraph.corpora.documents import StancePair
    from claimgraph.training.stance import WEIGHTS, stance_rows

    pairs = [StancePair(c, p, "supports", "train") for c, p in ARGUED]
    pairs += [
        StancePair(c, REBUTTALS[k % 2], "disputes", "train") for k, (c, _) in enumerate(ARGUED)
    ]
    pairs.append(StancePair("Two sentences here. And here.", "One more.", "supports", "train"))
    cache = tmp_path / "parsed"
    rows = stance_rows(pairs, cache)
    assert rows.x.shape[0] == len(rows.disputes) == 20  # the two-sentence claim is left out
    assert rows.disputes.sum() == 10

    report = train_argument_model(
        disputed_docs(), tmp_path / "m", pairs=pairs, seed=0, cache_dir=cache
    )
    assert report["stance_weight"] in WEIGHTS and report["stance_rows"] == 20
    assert set(report["polarity_cv"]) == {str(w) for w in WEIGHTS}
    card = (tmp_path / "m" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "20 PERSPECTRUM stance pairs" in card and f"weight {report['stance_weight']}" in card

    plain = train_argument_model(
        invented_docs(), tmp_path / "plain", pairs=pairs, seed=0, cache_dir=cache
    )
    assert "stance_weight" not in plain  # no corpus annotates disputes: nothing to weigh them on
    assert "(not used)" in (tmp_path / "plain" / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_claim_selection_setting_and_an_explicit_threshold():
    from types import SimpleNamespace

    from claimgraph.ingest.argument_stages import _model
    from claimgraph.ingest.rules import RulesError

    def state(**table):
        return SimpleNamespace(rules=SimpleNamespace(model=table, source="bundled"))

    shipped = ArgumentModel.load(shipped_model_dir())
    assert _model(state())[0].claim_selection == shipped.claim_selection
    alone = _model(state(claim_threshold=0.4))[0]  # a threshold alone means: use it
    assert (alone.claim_selection, alone.claim_threshold) == ("threshold", 0.4)
    assert alone.claims(np.array([0.3, 0.5])) == [1]
    both = _model(state(claim_threshold=0.4, claim_selection="expected-f1"))[0]
    assert both.claim_selection == "expected-f1"
    with pytest.raises(RulesError, match="claim_selection must be one of"):
        _model(state(claim_selection="all"))


def test_card_table_shows_the_benchmarks_intervals_where_it_gives_them():
    from claimgraph.training.argument_card import evaluation_table

    fig = {
        "documents": 150,
        "claims": {"precision": 0.9, "recall": 0.8, "f1": 0.847},
        "strict": {"f1": 0.21},
        "lenient": {"f1": 0.28},
    }
    rows = [
        {
            "row": "cdcp test",
            "learned": {**fig, "intervals": {"claims": [0.9, 0.93], "strict": [0.17, 0.26]}},
        },
        {"row": "sample", "learned": {**fig, "documents": 1, "intervals": None}},
    ]
    lines = evaluation_table(rows, "note").splitlines()
    assert lines[2].endswith("| claims F1 95% | strict F1 95% |")
    assert lines[4].endswith("| 0.900 - 0.930 | 0.170 - 0.260 |")
    assert lines[5].endswith("| - | - |")  # one document: no interval
