#!/usr/bin/env python3
"""Kubernetes' OpenAPI v2 document (api/openapi-spec/swagger.json of the k8s.io/kubernetes module)
to kubeconform's "standalone-strict" schema layout: one JSON schema per group/version/kind, named as
kubeconform looks it up ({kind}{-group}-{version}.json, the group cut at its first dot, none for the
core group), e.g. deployment-apps-v1.json, service-v1.json, networkpolicy-networking-v1.json.

kubeconform's published schemas come from instrumenta/openapi2jsonschema, which is not a Go module
and so cannot be had here; this does the same conversions, so that -strict means what it means
with those schemas:
  * strict: every object schema that lists its properties gets additionalProperties: false (as
    kubectl's client-side validation did), the root included, so an unknown field is an error;
  * IntOrString (format int-or-string) becomes "string or integer", and Quantity "string or
    number" (the API server accepts both; swagger.json says string only);
  * standalone: each file carries the definitions it references (the transitive closure) under
    "definitions", with swagger's own "#/definitions/<name>" references kept as they are. Unlike
    upstream's fully inlined files this stays small and handles recursive definitions.

Usage: swagger2jsonschema.py SWAGGER_JSON OUT_DIR   (prints the number of files written)
"""
import json
import os
import sys

QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
REF_PREFIX = "#/definitions/"


def convert(node):
    """The node with the strict and int-or-string conversions applied, recursively."""
    if isinstance(node, list):
        return [convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("format") == "int-or-string":
        return {"description": node.get("description", ""), "oneOf": [{"type": "string"}, {"type": "integer"}]}
    out = {key: convert(value) for key, value in node.items()}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def references(node, found):
    """Adds the definition names that node references to found."""
    if isinstance(node, list):
        for item in node:
            references(item, found)
    elif isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            if not ref.startswith(REF_PREFIX):
                raise SystemExit(f"swagger2jsonschema: unexpected $ref {ref}")
            found.add(ref[len(REF_PREFIX):])
        for value in node.values():
            references(value, found)


def closure(name, definitions):
    """Every definition reachable from name, name excluded unless it references itself."""
    seen, todo = set(), [name]
    while todo:
        found = set()
        references(definitions[todo.pop()], found)
        for ref in found - seen:
            if ref not in definitions:
                raise SystemExit(f"swagger2jsonschema: {name} references the missing definition {ref}")
            seen.add(ref)
            todo.append(ref)
    return seen


def file_name(gvk):
    group = gvk["group"].split(".")[0]
    suffix = f"-{group}" if group else ""
    return f"{gvk['kind']}{suffix}-{gvk['version']}.json".lower()


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: swagger2jsonschema.py SWAGGER_JSON OUT_DIR")
    with open(sys.argv[1], encoding="utf-8") as f:
        swagger = json.load(f)
    definitions = {name: convert(schema) for name, schema in swagger["definitions"].items()}
    if QUANTITY not in definitions:
        raise SystemExit(f"swagger2jsonschema: {sys.argv[1]} has no {QUANTITY}")
    definitions[QUANTITY] = {
        "description": definitions[QUANTITY].get("description", ""),
        "oneOf": [{"type": "string"}, {"type": "number"}],
    }
    os.makedirs(sys.argv[2], exist_ok=True)
    written = {}
    for name, schema in sorted(definitions.items()):
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            target = file_name(gvk)
            if target in written:
                raise SystemExit(f"swagger2jsonschema: {name} and {written[target]} both make {target}")
            written[target] = name
            standalone = dict(schema)
            standalone["definitions"] = {ref: definitions[ref] for ref in sorted(closure(name, definitions))}
            with open(os.path.join(sys.argv[2], target), "w", encoding="utf-8") as f:
                json.dump(standalone, f, separators=(",", ":"))
    if not written:
        raise SystemExit(f"swagger2jsonschema: {sys.argv[1]} defines no group/version/kind")
    print(len(written))


if __name__ == "__main__":
    main()
