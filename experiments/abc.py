"""Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC), deterministic.

The method is the population Monte Carlo ABC of Beaumont, Cornuet, Marin & Robert
(2009, *Biometrika* 96:983-990) with the tolerance of each generation set to a
quantile of the last generation's distances (as Drovandi & Pettitt 2011 adapt it):

1. Generation 0 draws ``population`` candidates from the prior and keeps them all.
2. Generation t sets its tolerance to the ``quantile`` of the last population's
   distances, proposes candidates by perturbing particles of the last population
   (drawn by weight) with Gaussians truncated to the prior's range
   (:func:`perturbation`), and keeps the first ``population`` candidates whose
   distance is within the tolerance. Each kept particle is weighted by its prior
   density over the density it was proposed with.
3. It stops after ``generations``, or after a generation that accepts fewer than
   ``min_acceptance`` of its candidates (more would buy little), or when a generation
   would need more candidates than that acceptance allows (it is dropped).

Each parameter is mapped to [0, 1], linearly, or linearly in its logarithm for a
log-uniform prior: there every prior is uniform. The truncated Gaussians are
normalised exactly, so every weight is exact.

Candidates are proposed in fixed batches, each from its own generator seeded by
``(seed, generation, batch)``, with the model seed of every candidate fixed likewise;
a generation ends with the batch in which its population fills up. So the result
depends on the seed alone, not on how many workers evaluate the batches, in what
order they finish, or how often the calibration was interrupted and resumed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp, ndtr, ndtri

#: Largest batches per generation; candidate ids leave room for this many.
MAX_BATCHES = 1000
#: Candidate ids: generation * GENERATION_ID + batch * BATCH_ID + index in batch.
BATCH_ID = 100_000
GENERATION_ID = MAX_BATCHES * BATCH_ID
#: Points whose proposal density is computed at once (memory: this times the population).
ROWS_AT_ONCE = 2048


@dataclass(frozen=True)
class Box:
    """The calibrated parameters and their priors: the map to and from the unit cube.

    Attributes:
        names: The parameters, in a fixed order.
        low: Smallest value of each prior.
        high: Largest value of each prior.
        log: Whether each prior is log-uniform (else uniform).
    """

    names: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    log: np.ndarray

    def unit(self, values: np.ndarray) -> np.ndarray:
        """Parameter values (rows) -> their place in the prior's range, 0 to 1."""
        values = np.asarray(values, float)
        low = np.where(self.log, self.low, 1.0)  # a uniform prior's low may be <= 0
        ratio = np.where(self.log, self.high / low, np.e)
        return np.where(self.log, np.log(np.maximum(values, 1e-300) / low) / np.log(ratio),
                        (values - self.low) / (self.high - self.low))

    def values(self, u: np.ndarray) -> np.ndarray:
        """Places in the prior's range (rows, 0 to 1) -> parameter values."""
        ratio = np.where(self.log, self.high / np.where(self.log, self.low, 1.0), 1.0)
        return np.where(self.log, self.low * ratio ** u, self.low + u * (self.high - self.low))


@dataclass(frozen=True)
class Design:
    """How much work a calibration does.

    Attributes:
        population: Particles kept per generation.
        generations: Most generations (generation 0, from the prior, included).
        batch: Candidates proposed at a time.
        quantile: Each tolerance is this quantile of the last population's distances.
        min_acceptance: Stop after a generation that accepts fewer of its candidates.
    """

    population: int
    generations: int
    batch: int
    quantile: float = 0.5
    min_acceptance: float = 0.05

    def __post_init__(self) -> None:
        if not 0 < self.batch < BATCH_ID or self.population < 2 or not (
                0 < self.quantile < 1 and 0 < self.min_acceptance <= 1):
            raise ValueError(f"not a design: {self}")

    @property
    def batches(self) -> int:
        """Most batches a generation may take: its population at ``min_acceptance``."""
        return min(MAX_BATCHES, math.ceil(self.population / self.min_acceptance
                                          / self.batch))


@dataclass
class Generation:
    """One generation's population.

    Attributes:
        tolerance: Distances up to this were accepted (inf for generation 0).
        ids: The kept candidates' ids.
        u: Their places in the priors' ranges (rows).
        weights: Their normalised importance weights.
        distances: Their distances.
        proposed: Candidates proposed to fill it.
    """

    tolerance: float
    ids: np.ndarray
    u: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    proposed: int

    @property
    def acceptance(self) -> float:
        """The share of proposed candidates that were kept."""
        return len(self.ids) / self.proposed


@dataclass(frozen=True)
class Candidate:
    """One proposed point, to be evaluated.

    Attributes:
        id: Unique in the calibration (:data:`GENERATION_ID`, :data:`BATCH_ID`).
        u: Its place in the priors' ranges.
        seed: The model seed to evaluate it with.
    """

    id: int
    u: np.ndarray
    seed: int


#: Evaluates candidates: their distances (inf where the model gave no statistic).
Evaluate = Callable[[Sequence[Candidate]], np.ndarray]


def candidate_seed(seed: int, candidate: int) -> int:
    """The model seed of a candidate: a 31-bit number from the root seed and its id."""
    return int(np.random.SeedSequence([seed, candidate]).generate_state(1)[0] >> 1)


def propose(dims: int, last: Generation | None, seed: int, generation: int, batch: int,
            size: int) -> list[Candidate]:
    """One batch of candidates: from the prior (no ``last``) or perturbed particles."""
    rng = np.random.default_rng([seed, generation, batch])
    if last is None:
        u = rng.uniform(0.0, 1.0, (size, dims))
    else:
        parents = last.u[rng.choice(len(last.ids), size=size, p=last.weights)]
        sd = perturbation(last)
        below, above = ndtr(-parents / sd), ndtr((1 - parents) / sd)
        share = below + rng.uniform(0.0, 1.0, (size, dims)) * (above - below)
        u = np.clip(parents + sd * ndtri(share), 0.0, 1.0)
    first = generation * GENERATION_ID + batch * BATCH_ID
    return [Candidate(first + i, u[i], candidate_seed(seed, first + i)) for i in range(size)]


def perturbation(last: Generation) -> np.ndarray:
    """Per parameter, the perturbation's standard deviation (prior range = 1).

    Twice the population's weighted variance (Beaumont et al. 2009): wide enough that
    the proposal is smooth, so the weights (one over its density) stay even, with a
    dozen parameters too.
    """
    mean = np.average(last.u, axis=0, weights=last.weights)
    variance = np.average((last.u - mean) ** 2, axis=0, weights=last.weights)
    return np.sqrt(2 * variance) + 1e-6


def log_proposal(u: np.ndarray, last: Generation | None) -> np.ndarray:
    """Log density of the proposal that follows ``last`` (the prior if None), at ``u``.

    A mixture over the last population of Gaussians truncated to the prior's range,
    each with its exact normalisation.
    """
    if last is None:
        return np.zeros(len(u))
    sd = perturbation(last)
    inside = ndtr((1 - last.u) / sd) - ndtr(-last.u / sd)           # population x dims
    log_norm = np.log(last.weights) - np.sum(np.log(inside * sd), axis=1) - (
        len(sd) / 2 * np.log(2 * np.pi))
    parts = []
    for start in range(0, len(u), ROWS_AT_ONCE):  # bounded memory: rows x population
        points = u[start:start + ROWS_AT_ONCE] / sd
        centres = last.u / sd
        squared = (np.sum(points ** 2, axis=1)[:, None] - 2 * points @ centres.T
                   + np.sum(centres ** 2, axis=1)[None, :])
        parts.append(logsumexp(log_norm[None, :] - 0.5 * np.maximum(squared, 0), axis=1))
    return np.concatenate(parts) if parts else np.zeros(0)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of ``values`` with ``weights`` (the smallest value reaching it)."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order]) / np.sum(weights)
    return float(values[order][min(np.searchsorted(cumulative, q), len(values) - 1)])


def run_generation(design: Design, dims: int, last: Generation | None, seed: int,
                   generation: int, evaluate: Evaluate) -> Generation | None:
    """Propose and evaluate batches until the generation's population is full.

    A candidate is kept if its distance is finite and within the tolerance (the
    prior's generation has none). Returns None if :attr:`Design.batches` batches do
    not fill it: the calibration ends with the generations before.
    """
    tolerance = (np.inf if last is None
                 else weighted_quantile(last.distances, last.weights, design.quantile))
    kept: list[tuple[Candidate, float]] = []
    proposed = 0
    for batch in range(MAX_BATCHES if last is None else design.batches):
        candidates = propose(dims, last, seed, generation, batch, design.batch)
        distances = evaluate(candidates)
        proposed += len(candidates)
        kept += [(c, d) for c, d in zip(candidates, distances, strict=True)
                 if np.isfinite(d) and d <= tolerance]
        if len(kept) >= design.population:
            break
    else:
        if last is not None:
            return None
        raise RuntimeError(f"the prior gave {len(kept)} candidates the model could "
                           f"measure of {proposed}")
    kept = kept[:design.population]
    u = np.array([c.u for c, _ in kept])
    log_weights = -log_proposal(u, last)  # the prior is uniform
    weights = np.exp(log_weights - log_weights.max())
    return Generation(tolerance, np.array([c.id for c, _ in kept]), u,
                      weights / weights.sum(), np.array([d for _, d in kept]), proposed)


def smc(dims: int, design: Design, seed: int, evaluate: Evaluate,
        report: Callable[[int, Generation], None] | None = None) -> list[Generation]:
    """Run the generations of an ABC-SMC calibration; returns them all, the last the posterior.

    Args:
        dims: The number of parameters.
        design: Population, generations and stopping rule.
        seed: Root seed: the same seed gives the same generations.
        evaluate: Candidates -> their distances from the observed statistics.
        report: Called with each finished generation.
    """
    generations: list[Generation] = []
    for t in range(design.generations):
        generation = run_generation(design, dims, generations[-1] if generations else None,
                                    seed, t, evaluate)
        if generation is None:
            break
        generations.append(generation)
        if report:
            report(t, generation)
        if t > 0 and generation.acceptance < design.min_acceptance:
            break
    return generations


def stop_reason(design: Design, generations: Sequence[Generation]) -> str:
    """Why a calibration's generations ended, in words."""
    last = generations[-1]
    if len(generations) > 1 and last.acceptance < design.min_acceptance:
        return (f"generation {len(generations) - 1} accepted under "
                f"{100 * design.min_acceptance:g}% of its candidates")
    if len(generations) == design.generations:
        return f"the design's {design.generations} generations were run"
    return (f"generation {len(generations)} would have needed more than "
            f"{design.batches * design.batch} candidates, and was dropped")


def effective_size(weights: np.ndarray) -> float:
    """Kish's effective sample size of importance weights."""
    return float(np.sum(weights) ** 2 / np.sum(weights ** 2)) if np.sum(weights) else 0.0


def mixture_log_density(u: np.ndarray, generations: Sequence[Generation]) -> np.ndarray:
    """Log density at ``u`` of all proposals together, each by its number of candidates.

    Every candidate of every generation was drawn from its generation's proposal; as
    one sample they come from this mixture (the prior among them), so prior over
    mixture density weights them into a sample of the prior: the basis for refitting
    to a subset of the statistics without running the model again (:func:`reweight`).
    """
    counts = np.array([g.proposed for g in generations], float)
    parts = [log_proposal(u, generations[t - 1] if t else None)
             for t in range(len(generations))]
    return logsumexp(np.array(parts) + np.log(counts / counts.sum())[:, None], axis=0)


def reweight(u: np.ndarray, distances: np.ndarray, tolerance: float,
             generations: Sequence[Generation]) -> np.ndarray:
    """Posterior weights of every evaluated candidate for distances within ``tolerance``.

    Args:
        u: Every evaluated candidate's place in the priors' ranges (rows).
        distances: Their distances, on whatever subset of the statistics.
        tolerance: The ABC tolerance to apply.
        generations: The generations that proposed them.

    Returns:
        Normalised weights (zero outside the tolerance); all zero if none is within.
    """
    inside = np.isfinite(distances) & (distances <= tolerance)
    weights = np.zeros(len(u))
    if inside.any():
        log_w = -mixture_log_density(u[inside], generations)
        weights[inside] = np.exp(log_w - log_w.max())
        weights /= weights.sum()
    return weights
