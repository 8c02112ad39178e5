"""Extraction rules as data: the bundled ingest/rules.toml plus the user's own TOML file.

A user file appends to lists and merges tables, so `[aliases] "The Iron Baron" = "Otto Lindqvist"`
or `[stance] disputes = ["is a fairy tale"]` extend the defaults without code. The one list a
user file replaces is `[pipeline] stages`, the extraction stages to run, in order.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

USER_RULES = "claimgraph.toml"  # looked up in the current directory when no file is given
REPLACED = (("pipeline", "stages"),)  # (table, key) lists a user file replaces, not extends


class RulesError(Exception):
    """The user's rules file cannot be used; the message says why, in one line."""


@dataclass
class Rules:
    reporting_verbs: frozenset[str]
    reporting_verbs_3sg: frozenset[str]
    negative_verbs: frozenset[str]
    according_to: tuple[str, ...]
    work_nouns: frozenset[str]
    research_nouns: frozenset[str]
    dispute_cues: tuple[str, ...]
    condemn_verbs: frozenset[str]
    statement_nouns: frozenset[str]
    support_cues: tuple[str, ...]
    contrast: tuple[str, ...]
    conclusion: tuple[str, ...]
    event_heads: frozenset[str]
    weak_event_heads: frozenset[str]
    titles: frozenset[str]
    not_name_words: frozenset[str]
    claim_weights: dict[str, float] = field(default_factory=dict)
    claim_threshold: float = 1.0
    framing_words: frozenset[str] = frozenset()
    evidence_nouns: frozenset[str] = frozenset()
    aliases: dict[str, str] = field(default_factory=dict)
    events: tuple[str, ...] = ()  # extra event names to find verbatim
    thread_headers: tuple[re.Pattern, ...] = ()  # post headers, each with a `who` group
    not_posters: frozenset[str] = frozenset()
    reply_agree: tuple[str, ...] = ()
    reply_disagree: tuple[str, ...] = ()
    model: dict = field(default_factory=dict)  # [model]: learned stages' model dir, thresholds
    reference_tagger: bool = True  # read reference entries with the trained CRF tagger
    stages: tuple[str, ...] = ()  # extraction stages, run in this order (ingest/stages.py)
    source: str = "bundled"


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + [v for v in value if v not in out[key]]
        else:
            out[key] = value
    return out


def _merge_user(base: dict, extra: dict) -> dict:
    """`base` extended by the user's `extra`; the REPLACED lists are taken whole from `extra`."""
    out = _merge(base, extra)
    for table, key in REPLACED:
        section = extra.get(table)
        if isinstance(section, dict) and key in section:
            out[table] = {**out[table], key: section[key]}
    return out


def load_rules(user_file: str | Path | None = None) -> Rules:
    """The bundled rules, extended by `user_file` (or ./claimgraph.toml if present)."""
    data = tomllib.loads(
        resources.files("claimgraph.ingest").joinpath("rules.toml").read_text("utf-8")
    )
    source = "bundled"
    path = Path(user_file) if user_file else Path(USER_RULES)
    if user_file or path.is_file():
        try:
            extra = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise RulesError(f"rules file {path} not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise RulesError(f"cannot read rules file {path}: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise RulesError(f"rules file {path} is not valid TOML: {exc}") from None
        data = _merge_user(data, extra)
        source = str(path)
    try:
        return _build(data, source)
    except (KeyError, TypeError, AttributeError) as exc:
        raise RulesError(f"rules file {path}: unexpected structure ({exc})") from None
    except re.error as exc:
        raise RulesError(
            f"rules file {path}: a [threads] header is not a valid pattern ({exc})"
        ) from None
    except RulesError as exc:
        where = "bundled rules" if source == "bundled" else f"rules file {path}"
        raise RulesError(f"{where}: {exc}") from None


def _third_person(verb: str) -> str:
    """'argue' -> 'argues', 'testify' -> 'testifies', 'stress' -> 'stresses'."""
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    return verb + "s"


def _header(pattern: str) -> re.Pattern:
    compiled = re.compile(str(pattern), re.M)
    if "who" not in compiled.groupindex:
        raise re.error(f"{pattern!r} has no (?P<who>...) group")
    return compiled


def _lower(items) -> frozenset[str]:
    return frozenset(str(i).lower() for i in items)


def _stages(names) -> tuple[str, ...]:
    from claimgraph.ingest.stages import check_stages  # stages import this module

    return check_stages(names)


def _build(d: dict, source: str) -> Rules:
    rep, st, ev, pe = d["reporting"], d["stance"], d["events"], d["people"]
    aliases = {str(k): str(v) for k, v in d.get("aliases", {}).items()}
    th = d.get("threads", {})
    return Rules(
        reporting_verbs=_lower(rep["verbs"]),
        reporting_verbs_3sg=frozenset(_third_person(v) for v in _lower(rep["verbs"])),
        negative_verbs=_lower(rep["negative_verbs"]),
        according_to=tuple(s.lower() for s in rep["according_to"]),
        work_nouns=_lower(d["works"]["nouns"]),
        research_nouns=_lower(d["works"]["research_nouns"]),
        dispute_cues=tuple(s.lower() for s in st["disputes"]),
        condemn_verbs=_lower(st["condemn_verbs"]),
        statement_nouns=_lower(st["statement_nouns"]),
        support_cues=tuple(s.lower() for s in st["supports"]),
        contrast=tuple(s.lower() for s in st["contrast"]),
        conclusion=tuple(s.lower() for s in st["conclusion"]),
        event_heads=_lower(ev["heads"]),
        weak_event_heads=_lower(ev["weak_heads"]),
        titles=_lower(pe["titles"]),
        not_name_words=_lower(pe["not_name_words"]),
        claim_weights={str(k): float(v) for k, v in d["claims"]["weights"].items()},
        claim_threshold=float(d["claims"]["threshold"]),
        framing_words=_lower(d["claims"].get("framing", [])),
        evidence_nouns=_lower(d["claims"].get("evidence_nouns", [])),
        aliases=aliases,
        events=tuple(str(e) for e in ev.get("names", [])),
        thread_headers=tuple(_header(h) for h in th.get("headers", [])),
        not_posters=_lower(th.get("not_posters", [])),
        reply_agree=tuple(s.lower() for s in th.get("agree", [])),
        reply_disagree=tuple(s.lower() for s in th.get("disagree", [])),
        model=dict(d.get("model", {})),
        reference_tagger=bool(d.get("references", {}).get("tagger", True)),
        stages=_stages(d["pipeline"]["stages"]),
        source=source,
    )
