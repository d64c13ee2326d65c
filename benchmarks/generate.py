"""Seeded synthetic argument maps for the benchmarks: realistic shape, any size, always consistent.

The shape imitates the hand-written corpus in claims/: the map is split into *topics* (like the
sections of a source text), each of ~40 statements. Inside a topic, assumptions come first and
claims are built in layers on top of them; a claim mostly cites the topic's own earlier statements
(with a bias towards recent claims, which makes the map several layers deep) and sometimes an
assumption of the last few topics (shared vocabulary). Proportions:

* ~30% assumptions, the rest claims, plus one proposal per ~60 statements, one conflict per ~200
  and two worldviews;
* a claim has one `if` line (70%), two (22%) or three (8%) — alternatives;
* a support is mostly a conjunction of 1–3 ids; 5% of ids are negated with `not`, 12% of supports
  carry an `unless`, 5% contain a parenthesised `or`;
* proposals give all four components, each a short conjunction of the topic's top claims,
  sometimes with `unless`, sometimes with an alternative line, sometimes reusing an earlier
  proposal's verdict (as §4 of the corpus reuses §3);
* conflicts are `ASSUMPTION and CLAIM`; the worldviews never *assume* a conflict assumption, so
  setting every conflict assumption false satisfies every conflict: the map and both worldviews are
  consistent by construction, whatever the seed.

That is the default shape, ``topics``. Two more shapes stress what topics keep bounded
(``--shape``):

* ``wide``: no topics. Statements come in one sequence (30% assumptions); a claim has one `if`
  line (70%) or two, each a conjunction of 1–3 of the previous 200 ids, 15% with an `unless`
  (an assumption of that window); proposals' components cite two random ids; one conflict
  `a and b` between two random assumptions per 200 statements. Cones and conflict components
  grow with the map: the shape of issue 13's cliff.
* ``chain``: like ``wide``, but a claim cites only the previous few (up to 6) statements, so the
  map is deep (the longest dependency path grows linearly, about n/10) while cones stay local.

In every shape no worldview assumes a conflict assumption, so both worldviews are consistent.

Output is deterministic: the same (size, seed, shape) gives the same bytes. ``size`` counts
top-level statements (assumptions + claims + proposals + conflicts + worldviews).

    python3 benchmarks/generate.py 10000 /tmp/map10k [--seed 1] [--shape wide]
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

TOPIC_SIZE = 40                   # assumptions + claims per topic (one argument, like a section)
TOPICS_PER_FILE = 25              # ~1,000 statements per file (the reader caps files at 5 MB)
COMPONENTS = ("outer", "inner", "training", "performance")
WORDS = ("myopia", "oversight", "deception", "transparency", "gradient", "imitation", "approval",
         "reward", "debate", "amplification", "distillation", "robustness", "corrigibility",
         "interpretability", "sandbox", "competitiveness", "alignment", "verification", "honesty",
         "capability", "search", "objective", "training", "model", "overseer", "tools", "loss")


@dataclass
class Topic:
    index: int
    assumptions: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _pick_count(rng: random.Random, weights: tuple[float, ...]) -> int:
    return rng.choices(range(1, len(weights) + 1), weights=weights)[0]


def _text(rng: random.Random, kind: str, ident: str) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12)))
    return f'{kind} {ident}: "The {words} ({ident})."'


def _support(rng: random.Random, pool_recent: list[str], pool_all: list[str], shared: list[str],
             risks: list[str]) -> str:
    """One `if` body: a conjunction of 1–3 ids, sometimes `not`, `(x or y)` or `unless`.

    As in the corpus, what is negated or named after `unless` is mostly a risk stated as an
    assumption (`unless oversight_overfit`); negating derived claims freely would make many
    verdicts contradictory, which real maps are not.
    """
    k = _pick_count(rng, (0.30, 0.45, 0.25))
    chosen: list[str] = []
    for _ in range(k):
        r = rng.random()
        if shared and r < 0.10:
            ref = rng.choice(shared)
        elif pool_recent and r < 0.55:
            ref = rng.choice(pool_recent)
        else:
            ref = rng.choice(pool_all)
        if ref not in chosen:
            chosen.append(ref)
    terms = []
    for ref in chosen:
        roll = rng.random()
        if roll < 0.05:
            terms.append(f"not {rng.choice(risks)}" if rng.random() < 0.8 else f"not {ref}")
        elif roll < 0.10 and len(pool_all) > 1:
            other = rng.choice(pool_all)
            terms.append(f"({ref} or {other})" if other != ref else ref)
        else:
            terms.append(ref)
    body = " and ".join(terms)
    if rng.random() < 0.12:
        defeater = rng.choice(risks) if rng.random() < 0.8 else rng.choice(pool_all)
        if defeater not in chosen:
            body += f" unless {defeater}"
    return body


SHAPES = ("topics", "wide", "chain")
WINDOW = {"wide": 200, "chain": 6}      # how far back a claim of a sequence shape may cite
FILE_STATEMENTS = 1000                  # statements per file for the sequence shapes


def generate(size: int, seed: int = 0, shape: str = "topics") -> dict[str, str]:
    """File name → text of a synthetic map with about ``size`` top-level statements."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; choose one of {', '.join(SHAPES)}")
    if shape != "topics":
        return _sequence(size, seed, WINDOW[shape])
    rng = random.Random(seed)
    n_proposals = max(2, size // 60)
    n_conflicts = max(1, size // 200)
    n_worldviews = 2
    n_nodes = max(10, size - n_proposals - n_conflicts - n_worldviews)
    n_assumptions = max(3, round(0.30 * size))
    n_claims = max(3, n_nodes - n_assumptions)
    n_topics = max(1, round((n_assumptions + n_claims) / TOPIC_SIZE))

    topics = [Topic(i) for i in range(n_topics)]
    a_per = [n_assumptions // n_topics + (1 if i < n_assumptions % n_topics else 0) for i in range(n_topics)]
    c_per = [n_claims // n_topics + (1 if i < n_claims % n_topics else 0) for i in range(n_topics)]
    shared: list[str] = []            # earlier topics' assumptions that later topics may cite
    for t in topics:
        word = WORDS[t.index % len(WORDS)]
        for j in range(a_per[t.index]):
            ident = f"t{t.index}_{word}_a{j}"
            t.assumptions.append(ident)
            t.lines.append(_text(rng, "assumption", ident))
        pool_all = list(t.assumptions)
        for j in range(c_per[t.index]):
            ident = f"t{t.index}_{word}_c{j}"
            recent = t.claims[-6:]
            t.lines.append(_text(rng, "claim", ident))
            for _ in range(_pick_count(rng, (0.70, 0.22, 0.08))):
                t.lines.append(f"  if {_support(rng, recent, pool_all, shared, t.assumptions)}")
            if rng.random() < 0.10:
                t.lines.append('  note "an interpretation of the source, not a quote"')
            t.claims.append(ident)
            pool_all.append(ident)
        # a sample of this topic's assumptions becomes vocabulary for the next three topics.
        # Sharing assumptions (not claims), and only nearby, keeps cones and conflict components
        # bounded as the map grows, as in the corpus, where a verdict rests on 4 assumptions
        # (median) and at most ~30, not on everything said before it. (A vocabulary shared by
        # every topic would chain all conflicts into one component of the whole map.)
        shared = (shared + rng.sample(t.assumptions, min(4, len(t.assumptions))))[-12:]

    # proposals: each built on the top claims of one topic
    verdicts: list[str] = []
    proposal_lines: dict[int, list[str]] = {}
    for p in range(n_proposals):
        t = topics[p * n_topics // n_proposals]
        top = t.claims[-15:] or t.assumptions
        ident = f"p{p}_{WORDS[p % len(WORDS)]}"
        lines = [_text(rng, "proposal", ident)]
        for comp in COMPONENTS:
            for _ in range(_pick_count(rng, (0.85, 0.15))):
                refs = rng.sample(top, min(len(top), _pick_count(rng, (0.5, 0.4, 0.1))))
                if verdicts and rng.random() < 0.05:
                    refs.append(rng.choice(verdicts))
                body = " and ".join(refs)
                if rng.random() < 0.15:
                    body += f" unless {rng.choice(t.assumptions or top)}"
                lines.append(f"  {comp}: {body}")
        verdicts.extend(f"{ident}.{c}" for c in COMPONENTS)
        proposal_lines.setdefault(t.index, []).extend(lines)

    # conflicts `a and c`: false whenever `a` is false, so all of them can hold together
    conflict_assumptions: set[str] = set()
    conflict_lines: dict[int, list[str]] = {}
    for k in range(n_conflicts):
        # within one topic: conflicts across topics would chain a large map into one constraint
        # component (every `why` slice would then grow with the map), which real maps are not
        t = topics[rng.randrange(n_topics)]
        a = rng.choice(t.assumptions)
        c = rng.choice(t.claims)
        conflict_assumptions.add(a)
        conflict_lines.setdefault(t.index, []).append(f"conflict k{k}_{t.index}: {a} and {c}")

    all_assumptions = [a for t in topics for a in t.assumptions]
    worldview_lines = []
    for w in range(n_worldviews):
        worldview_lines.append(f'worldview view{w}: "A reader who leans one way ({w})"')
        fixed = rng.sample(all_assumptions, max(1, len(all_assumptions) // 50))
        for a in sorted(fixed, key=all_assumptions.index):
            assume = a not in conflict_assumptions and rng.random() < 0.5
            worldview_lines.append(f"  {'assume' if assume else 'deny'} {a}")
    worldview_lines.append("expect consistent")
    worldview_lines += [f"expect consistent view{w}" for w in range(n_worldviews)]

    files: dict[str, str] = {}
    for start in range(0, n_topics, TOPICS_PER_FILE):
        chunk = topics[start:start + TOPICS_PER_FILE]
        body: list[str] = []
        for t in chunk:
            body.append(f"# topic {t.index}")
            body += t.lines + proposal_lines.get(t.index, []) + conflict_lines.get(t.index, [])
            body.append("")
        files[f"part{start // TOPICS_PER_FILE:04d}.argmap"] = "\n".join(body) + "\n"
    files["zz_worldviews.argmap"] = "\n".join(worldview_lines) + "\n"
    return files


def _sequence(size: int, seed: int, window: int) -> dict[str, str]:
    """A map with no topics: every claim cites ids among the previous ``window`` statements."""
    rng = random.Random(seed)
    n_proposals = max(2, size // 60)
    n_conflicts = max(1, size // 200)
    n_nodes = max(10, size - n_proposals - n_conflicts - 2)
    ids: list[str] = []
    kinds: list[str] = []                   # "a" or "c", parallel to ids
    chunks: list[list[str]] = [[]]
    for i in range(n_nodes):
        if len(chunks[-1]) >= FILE_STATEMENTS:
            chunks.append([])
        lines = chunks[-1]
        is_assumption = i < 3 or rng.random() < 0.30
        ident = f"s{i}_{WORDS[i % len(WORDS)]}_{'a' if is_assumption else 'c'}"
        if is_assumption:
            lines.append(_text(rng, "assumption", ident))
        else:
            lines.append(_text(rng, "claim", ident))
            start = max(0, len(ids) - window)
            recent = ids[start:]
            recent_assumptions = [x for x, k in zip(recent, kinds[start:]) if k == "a"]
            for _ in range(_pick_count(rng, (0.70, 0.30))):
                body = " and ".join(rng.sample(recent, min(len(recent), _pick_count(rng, (0.34, 0.33, 0.33)))))
                defeater = rng.choice(recent_assumptions) if recent_assumptions else None
                if defeater and rng.random() < 0.15 and defeater not in body.split(" and "):
                    body += f" unless {defeater}"
                lines.append(f"  if {body}")
        ids.append(ident)
        kinds.append("a" if is_assumption else "c")
        chunks[-1] = lines
    assumptions = [x for x, k in zip(ids, kinds) if k == "a"]
    tail: list[str] = []
    for p in range(n_proposals):
        tail.append(_text(rng, "proposal", f"p{p}_{WORDS[p % len(WORDS)]}"))
        for comp in COMPONENTS:
            tail.append(f"  {comp}: {' and '.join(rng.sample(ids, 2))}")
    conflict_assumptions: set[str] = set()
    for k in range(n_conflicts):
        a, b = rng.sample(assumptions, 2)
        conflict_assumptions |= {a, b}
        tail.append(f"conflict k{k}: {a} and {b}")
    worldview_lines = []
    for w in range(2):
        worldview_lines.append(f'worldview view{w}: "A reader who leans one way ({w})"')
        for a in sorted(rng.sample(assumptions, max(1, len(assumptions) // 50)), key=ids.index):
            assume = a not in conflict_assumptions and rng.random() < 0.5
            worldview_lines.append(f"  {'assume' if assume else 'deny'} {a}")
    worldview_lines += ["expect consistent", "expect consistent view0", "expect consistent view1"]
    files = {f"part{k:04d}.argmap": "\n".join(lines) + "\n" for k, lines in enumerate(chunks)}
    files["zy_proposals.argmap"] = "\n".join(tail) + "\n"
    files["zz_worldviews.argmap"] = "\n".join(worldview_lines) + "\n"
    return files


def write(size: int, directory: str | Path, seed: int = 0, shape: str = "topics") -> Path:
    """Write the map into ``directory`` (created; stale *.argmap files in it are removed)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.argmap"):
        old.unlink()
    for name, text in generate(size, seed, shape).items():
        (out / name).write_text(text, encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("size", type=int, help="number of top-level statements")
    ap.add_argument("directory")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shape", choices=SHAPES, default="topics")
    args = ap.parse_args()
    write(args.size, args.directory, args.seed, args.shape)


if __name__ == "__main__":
    main()
