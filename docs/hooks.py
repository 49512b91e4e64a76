"""MkDocs hook: the reference pages, generated from the code and data they describe at every build.

* ``reference/http.md`` from the app's OpenAPI document (every route, its role, request and reply);
* ``reference/cli.md`` from the command-line parser (every command and option with its help);
* ``reference/rules.md`` from ``rules/rulesets/redline.toml`` (every rule: kind, reason, patterns);
* ``reference/facts.md`` from ``facts/catalogue.toml`` (every fact: definition, what it is not, examples).

Nothing here is written by hand, so the pages cannot drift from what the code does.
"""

from __future__ import annotations

import argparse
import json
import os
import tomllib
from importlib import resources
from pathlib import Path


def on_pre_build(config, **kwargs) -> None:
    """Write the reference pages into ``docs/reference`` before MkDocs collects the files."""
    out = Path(config["docs_dir"]) / "reference"
    out.mkdir(exist_ok=True)
    (out / "http.md").write_text(http_reference(), "utf-8")
    (out / "cli.md").write_text(cli_reference(), "utf-8")
    (out / "rules.md").write_text(rules_reference(), "utf-8")
    (out / "facts.md").write_text(facts_reference(), "utf-8")


def http_reference() -> str:
    """Every route of the OpenAPI document: method, path, role, summary, request body and reply schemas."""
    from callroute.serving.app import create_app
    from callroute.settings import Settings

    spec = create_app(Settings(api_keys="docs-build-key-0123456789", keys_file=Path("/nonexistent"))).openapi()
    lines = ["# HTTP reference", "", f"Generated from the OpenAPI document of callroute {spec['info']['version']} "
             "(served at `/openapi.json`, browsable at `/docs`). Every route but the health checks needs "
             "`Authorization: Bearer <key>` with the role shown; errors are RFC 9457 problem documents.", "",
             "| method | path | role | what |", "|---|---|---|---|"]
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            summary = (operation.get("description") or operation.get("summary") or "").splitlines()[0]
            # the roles are the bearer scheme's scopes (serving/deps.py, require_role)
            roles = [role for requirement in operation.get("security", []) for scopes in requirement.values()
                     for role in scopes]
            lines.append(f"| {method.upper()} | `{path}` | {', '.join(roles) or 'none'} | {summary} |")
    lines += ["", "## Schemas", ""]
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        lines += [f"### {name}", ""]
        if schema.get("description"):
            lines += [schema["description"].strip(), ""]
        properties = schema.get("properties", {})
        if properties:
            required = set(schema.get("required", []))
            lines += ["| field | type | required | description |", "|---|---|---|---|"]
            for field, spec_field in properties.items():
                text = " ".join((spec_field.get("description") or "").split())
                lines.append(f"| `{field}` | {_type(spec_field)} | {'yes' if field in required else ''} | {text} |")
            lines.append("")
    return "\n".join(lines) + "\n"


def _type(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type(option) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if "enum" in schema:
        return " / ".join(f"`{value}`" for value in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    return schema.get("type", "any")


def cli_reference() -> str:
    """Every command and sub-command of ``callroute`` with its options, from the parser itself."""
    from callroute.cli import build_parser

    os.environ["COLUMNS"] = "110"  # argparse wraps help to the terminal: the same width at every build
    lines = ["# Command-line reference", "", "Generated from `callroute --help` and every command's help.", ""]

    def walk(parser: argparse.ArgumentParser, name: str) -> None:
        lines.extend([f"## `{name}`", "", "```text", parser.format_help().rstrip(), "```", ""])
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub_name, sub in action.choices.items():
                    walk(sub, f"{name} {sub_name}")

    walk(build_parser(), "callroute")
    return "\n".join(lines) + "\n"


def rules_reference() -> str:
    """The red-line rule set: each rule's kind, reason and number of patterns."""
    text = resources.files("callroute.rules").joinpath("rulesets/redline.toml").read_text("utf-8")
    rules = tomllib.loads(text)
    lines = ["# Red-line rules", "", f"Rule set `{rules['name']}-{rules['version']}`, generated from "
             "`src/callroute/rules/rulesets/redline.toml` (the patterns themselves, with the comments that say why "
             "each was added, are in the file; the history is in the changelog).", "",
             "| rule | kind | reason | patterns |", "|---|---|---|---|"]
    for rule in rules["rules"]:
        lines.append(f"| `{rule['id']}` | {rule['kind']}{' (configurable)' if rule.get('configurable') else ''} | "
                     f"{rule['reason']} | {len(rule.get('patterns', []))} |")
    net = rules.get("semantic_net")
    if net:
        lines += ["", f"**Safety net** `{net['id']}`: {net['reason']} Threshold {net['threshold']} (cosine), "
                  f"{len(net['prototypes'])} prototypes:", ""]
        lines += [f"- {prototype}" for prototype in net["prototypes"]]
    return "\n".join(lines) + "\n"


def facts_reference() -> str:
    """The situation-fact catalogue: every fact with its definition, what it is not, examples and source."""
    text = resources.files("callroute.facts").joinpath("catalogue.toml").read_text("utf-8")
    catalogue = tomllib.loads(text)
    lines = ["# Situation facts", "", f"Catalogue `{catalogue.get('name', 'facts')}-{catalogue.get('version', '')}`, "
             "generated from `src/callroute/facts/catalogue.toml`. Each fact is read from the narrative as present, "
             "denied or unknown, with its evidence, or answered by the call-taker's screening.", ""]
    for fact in catalogue["facts"]:
        lines += [f"## `{fact['id']}`: {fact['label']}", ""]
        lines.append(f"**Group** {fact.get('group', '')}; **moves the risk** {fact.get('sign', '')}"
                     + (f"; **red line** `{fact['red_line']}`" if fact.get("red_line") else "")
                     + (f"; **screening question** `{fact['screening']}`" if fact.get("screening") else "") + ".")
        lines += ["", f"**Is:** {fact.get('definition', '')}", "", f"**Is not:** {fact.get('not', '')}", ""]
        if fact.get("examples"):
            lines.append("**Examples:** " + "; ".join(f"`{json.dumps(e)[1:-1]}`" for e in fact["examples"]))
            lines.append("")
        if fact.get("source"):
            lines += [f"**Source:** {fact['source']}", ""]
    return "\n".join(lines) + "\n"
