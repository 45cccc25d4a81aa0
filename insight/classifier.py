"""Suggested codes: a classifier trained on the portal's own coded items, on this server.

`train()` reads the coded items (text -> themes), holds a share of them back, fits TF-IDF word
and two-word features with a one-vs-rest logistic regression on the rest, measures how well the
suggestions match what officers chose on the held-back items (micro precision and recall, and
per theme), then refits on every coded item and stores the fitted pipeline in a
`ClassifierModel`. Themes with fewer than `MIN_PER_THEME` coded items are left out: never
suggested, and listed on the suggestions page. `suggest()` gives each text its best themes over
the threshold, with the words that drove each. Nothing is sent anywhere: the text, the training
and the model stay in the portal's own database, and the stored model is only ever read back
from there.
"""

from __future__ import annotations

import logging
import pickle
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:  # scikit-learn takes a second to import: only when training or suggesting
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline

from portal.themes.models import Theme

from .models import ClassifierModel, CodingMatrix, InsightItem

logger = logging.getLogger(__name__)

SEED = 15  # the held-back split and the solver are deterministic
MIN_ITEMS = 30  # coded items (with at least one theme) needed to train at all
MIN_PER_THEME = 5  # coded items a theme needs to be suggested
MAX_SUGGESTIONS = 3
MAX_WORDS = 4
MAX_FEATURES = 50_000  # bounds the stored model's size at 50,000 items a year
ARTEFACT_VERSION = 1


class NotEnoughCoded(ValueError):
    """Training refused: too few coded items, or no theme with enough of them."""

    def __init__(self, reason: str, *, coded: int = 0, left_out=()):
        super().__init__(reason)
        self.reason = reason
        self.coded = coded
        self.left_out = list(left_out)


def threshold() -> float:
    """The confidence a theme needs to be suggested (INSIGHT_SUGGESTION_THRESHOLD)."""
    return float(getattr(settings, "INSIGHT_SUGGESTION_THRESHOLD", 0.35))


@dataclass
class Dataset:
    """The coded items as training data: texts, a 0/1 matrix of items x kept themes, the kept
    themes ({"id", "slug", "name", "examples"}) and the themes left out for too few items."""

    texts: list[str]
    labels: np.ndarray
    themes: list[dict]
    left_out: list[dict] = field(default_factory=list)


def _coded_rows() -> list[tuple[str, list[int]]]:
    """(text, theme ids) of every coded item with at least one theme, in pk order."""
    through = InsightItem.themes.through.objects.filter(insightitem__coded_at__isnull=False)
    themes: dict[int, list[int]] = defaultdict(list)
    for item_id, theme_id in through.values_list("insightitem_id", "theme_id").iterator(
            chunk_size=5000):
        themes[item_id].append(theme_id)
    rows = []
    for pk, text in InsightItem.objects.coded().order_by("pk").values_list(
            "pk", "text").iterator(chunk_size=5000):
        if pk in themes and text.strip():
            rows.append((text, sorted(themes[pk])))
    return rows


def _theme_entry(theme, examples: int) -> dict:
    return {"id": theme.pk, "slug": theme.slug, "name": theme.name, "examples": examples}


def dataset() -> Dataset:
    """The coded items to learn from; raises `NotEnoughCoded` with the reason when too few."""
    rows = _coded_rows()
    counts = Counter(theme_id for _text, ids in rows for theme_id in ids)
    known = Theme.objects.in_bulk(list(counts))
    kept = [known[pk] for pk in sorted(known) if counts[pk] >= MIN_PER_THEME]
    left_out = sorted((_theme_entry(known[pk], counts[pk]) for pk in known
                       if counts[pk] < MIN_PER_THEME), key=lambda entry: entry["name"])
    if len(rows) < MIN_ITEMS:
        raise NotEnoughCoded(
            _("Only %(count)s items are coded with a theme so far; suggestions need at least "
              "%(minimum)s.") % {"count": len(rows), "minimum": MIN_ITEMS},
            coded=len(rows), left_out=left_out)
    if not kept:
        raise NotEnoughCoded(
            _("No theme has been chosen for %(minimum)s or more coded items yet.")
            % {"minimum": MIN_PER_THEME}, coded=len(rows), left_out=left_out)
    column = {theme.pk: n for n, theme in enumerate(kept)}
    labels = np.zeros((len(rows), len(kept)), dtype=np.int8)
    for i, (_text, ids) in enumerate(rows):
        for theme_id in ids:
            if theme_id in column:
                labels[i, column[theme_id]] = 1
    return Dataset(texts=[text for text, _ids in rows], labels=labels,
                   themes=[_theme_entry(theme, counts[theme.pk]) for theme in kept],
                   left_out=left_out)


def split(labels: np.ndarray, held_back: float, seed: int = SEED):
    """Indexes (training, held back): a seeded shuffle, then the same share held back from each
    group of items whose rarest theme is the same, so every theme is measured."""
    if not 0 < held_back < 1:
        raise ValueError(_("The share held back must be between 0 and 1."))
    order = np.random.default_rng(seed).permutation(len(labels))
    examples = labels.sum(axis=0)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in order:
        present = np.flatnonzero(labels[i])
        rarest = int(present[np.argmin(examples[present])]) if len(present) else -1
        groups[rarest].append(int(i))
    training, held = [], []
    for key in sorted(groups):
        members = groups[key]
        take = min(max(round(len(members) * held_back), 1), len(members) - 1)
        held.extend(members[:take])
        training.extend(members[take:])
    return np.array(sorted(training)), np.array(sorted(held))


def pipeline(seed: int = SEED) -> Pipeline:
    """TF-IDF over words and word pairs, then one logistic regression per theme."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline

    return Pipeline([
        ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2,
                                  stop_words="english", strip_accents="unicode",
                                  max_features=MAX_FEATURES)),
        ("model", OneVsRestClassifier(LogisticRegression(
            solver="liblinear", class_weight="balanced", random_state=seed))),
    ])


def _fit(texts: list[str], labels: np.ndarray, seed: int) -> Pipeline:
    fitted = pipeline(seed)
    try:
        fitted.fit(texts, labels)
    except ValueError as error:  # the coded texts share too few words to learn from
        raise NotEnoughCoded(_("The coded items share too few words to learn from (%(error)s).")
                             % {"error": error}, coded=len(texts)) from error
    vectorizer = fitted.named_steps["tfidf"]
    if hasattr(vectorizer, "stop_words_"):
        vectorizer.stop_words_ = None  # the pruned terms: not needed, and large
    return fitted


def _picks(row: np.ndarray, cut: float) -> list[tuple[int, float]]:
    """The columns suggested for one item: the best few at or over the threshold."""
    order = np.argsort(-row, kind="stable")[:MAX_SUGGESTIONS]
    return [(int(j), float(row[j])) for j in order if row[j] >= cut]


def _probabilities(classifier, features) -> np.ndarray:
    return np.asarray(classifier.predict_proba(features)).reshape(features.shape[0], -1)


def _ratio(part, whole):
    return float(part) / float(whole) if whole else None


def score(truth: np.ndarray, probabilities: np.ndarray, cut: float) -> dict:
    """Micro precision and recall of the suggestions at `cut`, and per column
    (precision, recall, support: the held-back items officers coded with it)."""
    suggested = np.zeros_like(truth)
    for i, row in enumerate(probabilities):
        for j, _confidence in _picks(row, cut):
            suggested[i, j] = 1
    hits = ((suggested == 1) & (truth == 1)).sum(axis=0)
    made, actual = suggested.sum(axis=0), truth.sum(axis=0)
    return {"precision": _ratio(hits.sum(), made.sum()),
            "recall": _ratio(hits.sum(), actual.sum()),
            "columns": [{"precision": _ratio(hits[j], made[j]),
                         "recall": _ratio(hits[j], actual[j]), "support": int(actual[j])}
                        for j in range(truth.shape[1])]}


def _held_back_scores(data: Dataset, held_back: float, seed: int):
    training, held = split(data.labels, held_back, seed)
    fitted = _fit([data.texts[i] for i in training], data.labels[training], seed)
    features = fitted.named_steps["tfidf"].transform([data.texts[i] for i in held])
    probabilities = _probabilities(fitted.named_steps["model"], features)
    return score(data.labels[held], probabilities, threshold()), len(training), len(held)


def evaluate(held_back: float = 0.2, seed: int = SEED) -> dict:
    """Train on all but `held_back` of the coded items and measure the suggestions on the rest,
    storing nothing (the benchmark's figures). Returns precision and recall (None when
    nothing was suggested), trained_on and held_back (item counts) and seconds taken.
    Raises `NotEnoughCoded` when there are too few coded items."""
    started = time.perf_counter()
    scores, trained_on, held = _held_back_scores(dataset(), held_back, seed)
    return {"precision": scores["precision"], "recall": scores["recall"],
            "trained_on": trained_on, "held_back": held,
            "seconds": round(time.perf_counter() - started, 3)}


def train(*, held_back: float = 0.2, seed: int = SEED) -> ClassifierModel:
    """Measure on held-back coded items, refit on all of them and store the new model.

    Raises `NotEnoughCoded` (with the reason and the themes left out) when there are fewer than
    `MIN_ITEMS` coded items or no theme with `MIN_PER_THEME`."""
    data = dataset()
    scores, _trained, held = _held_back_scores(data, held_back, seed)
    fitted = _fit(data.texts, data.labels, seed)
    per_theme = {theme["slug"]: {**theme, **scores["columns"][n]}
                 for n, theme in enumerate(data.themes)}
    for theme in data.left_out:
        per_theme[theme["slug"]] = {**theme, "left_out": True}
    import sklearn

    artefact = pickle.dumps({"version": ARTEFACT_VERSION, "sklearn": sklearn.__version__,
                             "theme_ids": [theme["id"] for theme in data.themes],
                             "pipeline": fitted}, protocol=pickle.HIGHEST_PROTOCOL)
    return ClassifierModel.objects.create(
        matrix=CodingMatrix.current(), trained_on=len(data.texts), held_back=held,
        precision=scores["precision"], recall=scores["recall"], per_theme=per_theme,
        artefact=artefact)


# Suggesting --------------------------------------------------------------------------------


@dataclass
class Loaded:
    """The latest stored model, unpickled once per process."""

    pk: int
    theme_ids: list[int]
    vectorizer: TfidfVectorizer
    classifier: OneVsRestClassifier
    terms: np.ndarray
    weights: list  # per theme: the coefficient of each term, or None (a constant predictor)


_current: dict = {}  # "model": the Loaded model; "failed": the pk that would not load
_loading = threading.Lock()


def latest_id() -> int | None:
    """The pk of the newest stored model, or None."""
    return (ClassifierModel.objects.order_by("-trained_at", "-pk")
            .values_list("pk", flat=True).first())


def _unpickle(pk: int) -> Loaded | None:
    # The artefact is only ever written by train() above into the portal's own database.
    artefact = ClassifierModel.objects.filter(pk=pk).values_list("artefact", flat=True).first()
    try:
        stored = pickle.loads(bytes(artefact))
        fitted = stored["pipeline"]
    except Exception:  # an old or damaged model suggests nothing until the next retrain
        logger.exception("Suggested codes: model %s could not be loaded", pk)
        return None
    classifier = fitted.named_steps["model"]
    weights = [np.ravel(estimator.coef_) if hasattr(estimator, "coef_") else None
               for estimator in classifier.estimators_]
    vectorizer = fitted.named_steps["tfidf"]
    return Loaded(pk=pk, theme_ids=list(stored["theme_ids"]), vectorizer=vectorizer,
                  classifier=classifier, terms=vectorizer.get_feature_names_out(),
                  weights=weights)


def current_model() -> Loaded | None:
    """The newest model, loaded once per process and again when a newer one is stored."""
    pk = latest_id()
    if pk is None or _current.get("failed") == pk:
        return None
    loaded = _current.get("model")
    if loaded is not None and loaded.pk == pk:
        return loaded
    with _loading:
        loaded = _current.get("model")
        if loaded is None or loaded.pk != pk:
            loaded = _unpickle(pk)
            _current["model"] = loaded
            _current["failed"] = pk if loaded is None else None
    return loaded if loaded is not None and loaded.pk == pk else None


def _drivers(model: Loaded, row, column: int) -> list[str]:
    """The text's own terms that pushed most towards the theme (tf-idf x coefficient)."""
    weights = model.weights[column]
    if weights is None or not row.nnz:
        return []
    pushes = row.data * weights[row.indices]
    order = np.argsort(-pushes, kind="stable")[:MAX_WORDS]
    return [str(model.terms[row.indices[k]]) for k in order if pushes[k] > 0]


def suggest(texts) -> list[list[tuple[int, float, list[str]]]]:
    """For each text, up to three (theme id, confidence 0..1, driving words), best first, over
    the threshold and with at least one of the text's own words behind it; empty lists when no
    model has been trained."""
    texts = [str(text or "") for text in texts]
    model = current_model()
    if model is None or not texts:
        return [[] for _text in texts]
    features = model.vectorizer.transform(texts).tocsr()
    probabilities = _probabilities(model.classifier, features)
    cut = threshold()
    found = []
    for i in range(len(texts)):
        row = features[i]
        picks = [(model.theme_ids[j], round(confidence, 3), _drivers(model, row, j))
                 for j, confidence in _picks(probabilities[i], cut)]
        # A theme no word of the text pointed to would be a guess from how common it is.
        found.append([pick for pick in picks if pick[2]])
    return found
