"""``smartcity ckan check``: what a CKAN portal supports, and whether our token may publish there.

For a user pointing the pipeline at their own CKAN (``CKAN_URL``, ``CKAN_API_TOKEN``), before
the first write.  Read-only calls only:

* ``status_show``: the CKAN version and the plugins it lists (DataStore, scheming, xloader, DCAT);
* ``scheming_dataset_schema_show`` through :func:`smartcity.publish.portal.detect`, when scheming
  is loaded: the dataset schema the publisher will fill;
* ``organization_list_for_user`` with ``permission=create_dataset``: the organizations in which
  the token's user may create datasets;
* ``organization_show`` of the configured organization (``SMARTCITY_CKAN_ORG``);
* ``config_option_list``, which CKAN lets only a sysadmin read: whether the user may create the
  organization when it does not exist yet (the publisher creates it).

The decision (:func:`assess`) is a pure function of what those calls answered, so it is tested
with a fake client.  The token travels in the ``Authorization`` header and is never printed.
Exit status: 0 when the pipeline can publish there, 1 when it cannot, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import asdict, dataclass, field

import ckanapi

from smartcity import settings
from smartcity.publish import portal as portal_mod
from smartcity.publish.calls import Calls
from smartcity.publish.errors import CkanRejected, CkanUnavailable

log = logging.getLogger(__name__)

# package_revise (our guarded writes) and API tokens both arrived in CKAN 2.9.
MIN_VERSION = (2, 9)
# the plugin names CKAN lists in status_show for each feature (ckanext-dcat registers several)
DCAT_PLUGINS = ("dcat", "dcat_json_interface", "structured_data", "dcat_rdf_harvester")


@dataclass
class Probe:
    """What the portal answered to the read-only calls (``None``: the call failed or was not made)."""

    url: str
    has_token: bool
    version: str = ""
    extensions: tuple[str, ...] = ()
    schema_fields: int = 0  # dataset fields of the scheming schema; 0 on a plain CKAN
    token_refused: str = ""  # CKAN's refusal of the token, when it refused it
    create_orgs: dict[str, str] | None = None  # name -> capacity, from organization_list_for_user
    organization: str = ""
    organization_exists: bool | None = None
    sysadmin: bool | None = None
    unreachable: str = ""  # why the portal could not be asked


@dataclass
class Report:
    """The verdict: ``ok`` when the pipeline can publish; ``lines`` for a person to read."""

    url: str
    ok: bool
    version: str
    features: dict[str, bool]
    can_create_datasets: bool
    organization: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def probe(ckan: object, organization: str, *, has_token: bool) -> Probe:
    """Ask the portal behind ``ckan`` (a ``RemoteCKAN`` or anything with ``call_action``) what
    :func:`assess` needs; read-only calls only.  Never raises for what the portal answers."""
    call = Calls(ckan)
    found = Probe(url=call.base_url, has_token=has_token, organization=organization)
    try:
        status = call("status_show")
    except CkanRejected as exc:
        found.token_refused = exc.reason  # CKAN refuses a bad token on every call, this one too
        return found
    except (CkanUnavailable, ckanapi.NotFound) as exc:
        found.unreachable = str(exc)
        return found
    found.version = str(status.get("ckan_version", ""))  # type: ignore[union-attr]
    try:
        shape = portal_mod.detect(call)
    except (CkanRejected, CkanUnavailable) as exc:
        found.unreachable = f"scheming_dataset_schema_show: {exc}"
        return found
    found.extensions = shape.extensions
    found.schema_fields = len(shape.fields)
    if not has_token:
        return found
    try:
        orgs = call("organization_list_for_user", {"permission": "create_dataset"})
        found.create_orgs = {o["name"]: str(o.get("capacity") or "") for o in orgs}  # type: ignore[union-attr]
    except CkanRejected as exc:
        found.token_refused = exc.reason
        return found
    except CkanUnavailable as exc:
        found.unreachable = str(exc)
        return found
    try:
        call("organization_show", {"id": organization, "include_datasets": False})
        found.organization_exists = True
    except ckanapi.NotFound:
        found.organization_exists = False
    except (CkanRejected, CkanUnavailable):
        found.organization_exists = None  # a private or unreadable organization: not known
    try:
        call("config_option_list")
        found.sysadmin = True
    except CkanRejected:
        found.sysadmin = False
    except (CkanUnavailable, ckanapi.NotFound):
        found.sysadmin = None
    return found


def assess(found: Probe) -> Report:
    """The verdict on ``found``: features, whether the token may create datasets in the
    organization, the problems that stop publishing and the notes that do not.  Pure."""
    ext = set(found.extensions)
    features = {
        "datastore": "datastore" in ext,
        "scheming": "scheming_datasets" in ext,
        "xloader": "xloader" in ext,
        "dcat": any(p in ext for p in DCAT_PLUGINS),
    }
    problems: list[str] = []
    notes: list[str] = []
    can_create = False
    if found.unreachable:
        problems.append(f"the portal did not answer: {found.unreachable}")
    elif found.token_refused:
        problems.append(f"CKAN refused the token: {found.token_refused}")
    else:
        version = _version(found.version)
        if not version:
            problems.append("status_show gave no ckan_version: is this a CKAN API?")
        elif version < MIN_VERSION:
            problems.append(f"CKAN {found.version} is older than 2.9 (no package_revise, no API tokens)")
        if not features["datastore"]:
            notes.append("no DataStore: the figures and totals tables are not loaded (files only)")
        if features["scheming"] and not found.schema_fields:
            notes.append("scheming without a 'dataset' schema: catalogue fields go to extras")
        if not found.has_token:
            problems.append("no API token: set CKAN_API_TOKEN to a token of a user of the organization")
        elif found.create_orgs is not None:
            org = found.organization
            capacity = found.create_orgs.get(org)
            if capacity is not None:
                can_create = True
                if capacity not in ("admin", ""):
                    notes.append(
                        f"the token's user is {capacity} of {org}: datasets can be written, but the "
                        "organization's title and description are patched only by an admin"
                    )
            elif found.organization_exists is False and found.sysadmin:
                can_create = True
                notes.append(f"organization {org} does not exist yet: the publisher creates it (sysadmin)")
            elif found.organization_exists is False:
                problems.append(
                    f"organization {org} does not exist, and only a sysadmin may create it: create it on "
                    "the portal and make the token's user an editor, or set SMARTCITY_CKAN_ORG"
                )
            else:
                # CKAN 2.10+ answers an unknown token as an anonymous user, who may create in none
                names = ", ".join(sorted(found.create_orgs)) or (
                    "none: the user is in no organization, or CKAN did not recognise the token"
                )
                problems.append(
                    f"the token may not create datasets in {org} (it may in: {names}); "
                    "make its user an editor or admin there, or set SMARTCITY_CKAN_ORG"
                )
    report = Report(
        url=found.url, ok=not problems, version=found.version, features=features,
        can_create_datasets=can_create, organization=found.organization, problems=problems, notes=notes,
    )
    report.lines = _lines(report, found)
    return report


def _lines(report: Report, found: Probe) -> list[str]:
    def mark(flag: bool) -> str:
        return "yes" if flag else "no"

    f = report.features
    scheming = mark(f["scheming"])
    if found.schema_fields:
        scheming += f" ({found.schema_fields} dataset fields)"
    xloader = mark(f["xloader"]) + ("  (CSV tables loaded by the portal's worker)" if f["xloader"] else "")
    if report.can_create_datasets:
        may = "the token may create datasets"
    elif found.unreachable or found.token_refused or not found.has_token:
        may = "not known (see the problem below)"
    else:
        may = "the token may NOT create datasets"
    lines = [
        f"portal:      {report.url}",
        f"CKAN:        {report.version or 'unknown'}",
        f"DataStore:   {mark(f['datastore'])}",
        f"scheming:    {scheming}",
        f"xloader:     {xloader}",
        f"DCAT:        {mark(f['dcat'])}",
        f"token:       {'set (not shown)' if found.has_token else 'none'}",
        f"organization {report.organization}: {may}",
    ]
    lines += [f"note: {n}" for n in report.notes]
    lines += [f"problem: {p}" for p in report.problems]
    lines.append("ready to publish" if report.ok else "not ready to publish: nothing was written")
    return lines


def check(env: dict[str, str] | None = None, *, organization: str | None = None) -> Report:
    """Probe and assess the CKAN of ``CKAN_URL`` / ``CKAN_API_TOKEN`` in ``env`` (the token file
    of ``client.client_from_env`` when the variable is unset)."""
    from smartcity.publish.client import MissingCredentials, client_from_env, make_client

    env = dict(os.environ if env is None else env)
    org = organization or env.get("SMARTCITY_CKAN_ORG") or settings.CKAN_ORGANIZATION
    try:
        ckan, has_token = client_from_env(env), True
    except MissingCredentials:
        ckan, has_token = make_client(env.get("CKAN_URL") or "http://127.0.0.1:5000", None), False
    with ckan:
        return assess(probe(ckan, org, has_token=has_token))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="smartcity ckan",
        description="Ask a CKAN portal what it supports and whether the token may publish (read-only).",
    )
    sub = parser.add_subparsers(dest="action", required=True)
    one = sub.add_parser(
        "check", help="what the portal of CKAN_URL supports; may CKAN_API_TOKEN create datasets?"
    )
    one.add_argument("--organization", help="default: SMARTCITY_CKAN_ORG, else " + settings.CKAN_ORGANIZATION)
    one.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = check(organization=args.organization)
    if args.json:
        data = asdict(report)
        data.pop("lines")
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(report.lines) + "\n")
    return 0 if report.ok else 1
