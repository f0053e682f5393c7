"""``verbinding analyse DIR``: sensitivity indices and response surfaces of a sweep.

Sobol designs give first-order and total indices with 95% intervals (SALib, Saltelli
estimators); Morris designs give mu* (with interval) and sigma; factorial and Latin
hypercube designs give the response surface: the mean of each metric per design point,
drawn as a heatmap for two-parameter grids and as lines with bands for one parameter.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from pyarrow import ArrowException

from experiments.space import Space
from experiments.sweep import Experiment, load_experiment_from_source

#: Bootstrap seed of the SALib estimators, so the same results give the same indices.
BOOTSTRAP_SEED = 2024


class AnalysisError(ValueError):
    """Results that cannot be analysed as asked; the message says why."""


def unit_matrix(frame: pd.DataFrame, space: Space) -> np.ndarray:
    """Parameter values of each row rescaled to [0, 1] (the space SALib sampled)."""
    columns = []
    for d in space.dimensions:
        values = frame[d.name].astype(float).to_numpy()
        columns.append((values - d.low) / (d.high - d.low) if d.high > d.low else values * 0)
    return np.column_stack(columns)


def sobol_indices(frame: pd.DataFrame, space: Space, outputs: list[str]) -> pd.DataFrame:
    """First-order and total Sobol indices per output, from a complete Saltelli sample.

    Args:
        frame: One row per design point, in design order, with an ``outputs`` column each.
        space: The sampled space.
        outputs: Columns to analyse.

    Returns:
        Rows of ``output, parameter, S1, S1_low, S1_high, ST, ST_low, ST_high``.
    """
    from SALib.analyze import sobol

    problem = {"num_vars": len(space.dimensions), "names": space.names,
               "bounds": [[0.0, 1.0]] * len(space.dimensions)}
    rows = []
    for output in outputs:
        result = sobol.analyze(problem, frame[output].to_numpy(float),
                               calc_second_order=False, conf_level=0.95,
                               seed=BOOTSTRAP_SEED)
        for i, name in enumerate(space.names):
            s1, s1c = result["S1"][i], result["S1_conf"][i]
            st, stc = result["ST"][i], result["ST_conf"][i]
            rows.append({"output": output, "parameter": name, "S1": s1, "S1_low": s1 - s1c,
                         "S1_high": s1 + s1c, "ST": st, "ST_low": st - stc,
                         "ST_high": st + stc})
    return pd.DataFrame(rows)


#: Fewest base samples a subset for the convergence table may have (fewer say nothing).
MIN_CONVERGENCE_SAMPLES = 8


def sobol_convergence(frame: pd.DataFrame, space: Space, outputs: list[str]) -> pd.DataFrame:
    """Sobol indices from the first quarter, the first half and all of the base samples.

    The first ``k`` base samples of a Saltelli design are its first ``k * (d + 2)``
    points, themselves a design; indices that still move between the three sizes have
    not converged.

    Returns:
        The rows of :func:`sobol_indices`, each with its ``base_samples``.
    """
    block = len(space.dimensions) + 2
    total = len(frame) // block
    sizes = {s for s in (total // 4, total // 2) if s >= MIN_CONVERGENCE_SAMPLES} | {total}
    parts = []
    for size in sorted(sizes):
        part = sobol_indices(frame.iloc[:size * block], space, outputs)
        part.insert(0, "base_samples", size)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def morris_indices(frame: pd.DataFrame, space: Space, outputs: list[str],
                   levels: int = 4) -> pd.DataFrame:
    """Morris mu*, its 95% interval, and sigma per output and parameter."""
    from SALib.analyze import morris

    problem = {"num_vars": len(space.dimensions), "names": space.names,
               "bounds": [[0.0, 1.0]] * len(space.dimensions)}
    x = unit_matrix(frame, space)
    rows = []
    for output in outputs:
        result = morris.analyze(problem, x, frame[output].to_numpy(float),
                                conf_level=0.95, num_levels=levels, seed=BOOTSTRAP_SEED)
        for i, name in enumerate(space.names):
            rows.append({"output": output, "parameter": name,
                         **{key: _plain(result[key][i])
                            for key in ("mu_star", "mu_star_conf", "sigma")}})
    return pd.DataFrame(rows)


def _plain(value) -> float:
    """A float from SALib's result, which masks what it cannot compute: NaN then."""
    return float(np.ma.filled(np.ma.asarray(value, dtype=float), np.nan))


def point_means(runs: pd.DataFrame, space: Space, outputs: list[str]) -> pd.DataFrame:
    """Mean, 2.5% and 97.5% quantile-free t interval of each output per design point."""
    from experiments.stats import mean_ci

    rows = []
    for point, group in runs.groupby("point", sort=True):
        row = {"point": point, **{n: group[n].iloc[0] for n in space.names}}
        for output in outputs:
            summary = mean_ci(group[output].tolist())
            row[output] = summary["mean"]
            low_high = summary["ci95"] or [summary["mean"], summary["mean"]]
            row[f"{output}_low"], row[f"{output}_high"] = low_high
        rows.append(row)
    return pd.DataFrame(rows)


def complete_runs(runs: pd.DataFrame, expected: int, design: str) -> pd.DataFrame:
    """The runs, checked to be complete and successful where the design needs it.

    Raises:
        AnalysisError: For a Sobol or Morris design with missing or failed runs (SALib
            would silently give wrong indices), naming the runs.
    """
    if design not in ("sobol", "morris"):
        return runs
    have = set(runs.loc[runs["status"] == "ok", "run_id"])
    missing = sorted(set(range(expected)) - have)
    if missing:
        shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
        raise AnalysisError(f"incomplete {design} design: {len(missing)} of {expected} runs "
                            f"missing or failed (run_id {shown}); finish the sweep (run the "
                            "same command again) before analysing")
    return runs


def analyse(folder: Path) -> dict[str, Path]:
    """Analyse the sweep in ``folder``; write tables and figures to ``folder/analysis``.

    Returns:
        Name to path of every file written.

    Raises:
        AnalysisError: If the folder holds no sweep, or an incomplete Sobol/Morris one,
            or ``folder/analysis`` cannot be a folder.
    """
    experiment = _experiment(folder)
    if not any((folder / "runs").glob("*.parquet")):
        raise AnalysisError(f"{folder} holds no finished runs yet; run the sweep first")
    runs = _read_runs(folder)
    runs = complete_runs(runs, len(experiment.jobs()), experiment.design)
    outputs = list(experiment.metrics)
    target = folder / "analysis"
    try:
        target.mkdir(exist_ok=True)
    except OSError as error:  # a file of that name, or no permission
        kind = "is a file" if target.is_file() else f"cannot be created ({error.strerror})"
        raise AnalysisError(f"{target} {kind}; the analysis is written to a folder of that "
                            "name: move it away") from None
    written, titles = {}, _titles(experiment, outputs)
    means = point_means(runs[runs["status"] == "ok"], experiment.space, outputs)
    written["point_means"] = _csv(means, target / "point_means.csv")
    if experiment.design == "sobol":
        indices = sobol_indices(means, experiment.space, outputs)
        written["sobol"] = _csv(indices, target / "sobol_indices.csv")
        written.update(_figures_indices(indices, "ST", target, titles))
        convergence = sobol_convergence(means, experiment.space, outputs)
        written["sobol_convergence"] = _csv(convergence, target / "sobol_convergence.csv")
        written.update(_figures_convergence(convergence, target, titles))
    elif experiment.design == "morris":
        indices = morris_indices(means, experiment.space, outputs)
        written["morris"] = _csv(indices, target / "morris_indices.csv")
        written.update(_figures_indices(indices, "mu_star", target, titles))
    else:
        written.update(_figures_surface(means, experiment.space, outputs, target, titles))
    return written


def _titles(experiment: Experiment, outputs: list[str]) -> dict[str, str]:
    """What each output's figures are titled: with a contrast, the lever's effect on it."""
    if not experiment.contrast:
        return {output: output for output in outputs}
    lever = ", ".join(f"{name} = {value}" for name, value in experiment.contrast.items())
    return {output: f"effect on {output} of {lever}" for output in outputs}


def _experiment(folder: Path) -> Experiment:
    """The experiment recorded in a sweep's folder.

    Raises:
        AnalysisError: If the folder holds no sweep or an unreadable ``experiment.json``.
    """
    manifest = folder / "experiment.json"
    if not manifest.is_file() or not (folder / "runs").is_dir():
        raise AnalysisError(f"{folder} holds no sweep results (no experiment.json and runs/)")
    try:
        described = json.loads(manifest.read_text(encoding="utf-8"))
        source, quick = described["source"], described["quick"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        raise AnalysisError(f"{manifest} is not the record of a sweep (unreadable, or "
                            "without source and quick)") from None
    experiment = load_experiment_from_source(source, quick is True)
    if experiment.fingerprint() != described.get("fingerprint"):
        raise AnalysisError(f"{manifest} was changed after the sweep ran (its fingerprint "
                            "no longer matches); run the sweep again into a new folder")
    return experiment


def _read_runs(folder: Path) -> pd.DataFrame:
    """Every run of a sweep, ordered by ``run_id``, each once.

    Raises:
        AnalysisError: If ``runs/`` holds something that is not a chunk of results, or
            a run twice.
    """
    try:
        runs = pd.read_parquet(folder / "runs")
        runs = runs.sort_values("run_id").reset_index(drop=True)
        status = runs["status"]
    except (ArrowException, OSError, KeyError, TypeError, ValueError):
        raise AnalysisError(f"{folder / 'runs'} holds files that are not chunks of this "
                            "sweep's results; remove them or run the sweep again into a new "
                            "folder") from None
    if runs["run_id"].duplicated().any() or not status.isin(["ok", "failed"]).all():
        raise AnalysisError(f"{folder / 'runs'} holds a run twice or a run without a status; "
                            "run the sweep again into a new folder")
    return runs


def _csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False, float_format="%.6g")
    return path


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(figure, path: Path) -> dict[str, Path]:
    figure.tight_layout()
    for suffix in (".png", ".svg"):
        figure.savefig(path.with_suffix(suffix), dpi=120)
    return {path.stem: path.with_suffix(".png")}


def _figures_indices(indices: pd.DataFrame, key: str, folder: Path,
                     titles: dict[str, str]) -> dict[str, Path]:
    """Sorted bar charts of the sensitivity indices, one per output."""
    plt = _pyplot()
    written = {}
    for output, group in indices.groupby("output", sort=False):
        group = group.sort_values(key)
        figure, axes = plt.subplots(figsize=(7, 0.45 * len(group) + 1.5))
        if key == "ST":
            axes.barh(group["parameter"], group["ST"], color="#4C72B0", label="total (ST)",
                      xerr=[group["ST"] - group["ST_low"], group["ST_high"] - group["ST"]])
            axes.barh(group["parameter"], group["S1"], color="#DD8452", height=0.4,
                      label="first order (S1)")
            axes.legend(loc="lower right")
            axes.set_xlabel("Sobol index (95% interval)")
        else:
            axes.barh(group["parameter"], group["mu_star"], xerr=group["mu_star_conf"],
                      color="#4C72B0")
            axes.set_xlabel("Morris mu* (95% interval)")
        axes.set_title(titles[output])
        written.update(_save(figure, folder / f"indices-{output}"))
        plt.close(figure)
    return written


def _figures_convergence(convergence: pd.DataFrame, folder: Path, titles: dict[str, str],
                         shown: int = 6) -> dict[str, Path]:
    """Per output, the total indices of its strongest parameters against the base samples."""
    plt = _pyplot()
    written = {}
    for output, group in convergence.groupby("output", sort=False):
        final = group[group["base_samples"] == group["base_samples"].max()]
        strongest = final.sort_values("ST", ascending=False)["parameter"].head(shown)
        figure, axes = plt.subplots(figsize=(7, 4))
        for name in strongest:
            line = group[group["parameter"] == name]
            axes.errorbar(line["base_samples"], line["ST"], marker="o", capsize=3, label=name,
                          yerr=[line["ST"] - line["ST_low"], line["ST_high"] - line["ST"]])
        axes.set_xscale("log", base=2)
        axes.set_xlabel("base samples")
        axes.set_ylabel("total Sobol index (95% interval)")
        axes.set_title(f"{titles[output]}: convergence")
        axes.legend(fontsize=8)
        written.update(_save(figure, folder / f"convergence-{output}"))
        plt.close(figure)
    return written


def _figures_surface(means: pd.DataFrame, space: Space, outputs: list[str],
                     folder: Path, titles: dict[str, str]) -> dict[str, Path]:
    """Heatmaps for two-parameter grids, lines with bands for one parameter."""
    plt = _pyplot()
    written = {}
    names = space.names
    for output in outputs:
        figure, axes = plt.subplots(figsize=(7, 4.5))
        if len(names) == 2 and all(d.levels for d in space.dimensions):
            grid = means.pivot_table(index=names[1], columns=names[0], values=output)
            image = axes.imshow(grid.to_numpy(), origin="lower", aspect="auto",
                                cmap="viridis")
            axes.set_xticks(range(len(grid.columns)), [f"{v:g}" for v in grid.columns])
            axes.set_yticks(range(len(grid.index)), [f"{v:g}" for v in grid.index])
            axes.set_xlabel(names[0])
            axes.set_ylabel(names[1])
            for (i, j), value in np.ndenumerate(grid.to_numpy()):
                light = image.norm(value) > 0.6  # dark text on the light end of viridis
                axes.text(j, i, f"{value:.2g}", ha="center", va="center", fontsize=9,
                          color="black" if light else "white")
            figure.colorbar(image, ax=axes, label=output)
        else:
            x = names[0]
            others = names[1:]
            groups = means.groupby(others) if others else [((), means)]
            for key, group in groups:
                group = group.sort_values(x)
                label = ", ".join(f"{n}={v}" for n, v in zip(others, np.atleast_1d(key),
                                                             strict=False)) or output
                axes.plot(group[x], group[output], marker="o", label=label)
                axes.fill_between(group[x].astype(float), group[f"{output}_low"],
                                  group[f"{output}_high"], alpha=0.2)
            axes.set_xlabel(x)
            axes.set_ylabel(output)
            if others:
                axes.legend(fontsize=8)
        axes.set_title(f"{titles[output]} (mean over replicates)")
        written.update(_save(figure, folder / f"surface-{output}"))
        plt.close(figure)
    return written
