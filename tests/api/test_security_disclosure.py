"""Who may read objections and protected attributes (issue 14, item 3), against real Neo4j.

Objections: their filer (the key that filed, acting for the firm) and agency roles; anyone else
gets null, as for an unknown id. ``fileObjection`` answers the same for a record the caller
may not see as for one that does not exist. ``Person.politicalConnection`` and
``Company.ownershipType`` (fairness-audit groups) are for agency roles only.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from neo4j import Driver

from riskgraph.app.security.principal import Principal, Role
from riskgraph.graph.config import PROJECT_ROOT
from tests.api.conftest import ADMIN, INVESTIGATOR, PUBLIC, RESTRICTED, Gql, uscc

pytestmark = pytest.mark.neo4j

FIRM = Principal(role=Role.PUBLIC, key_id="f1a2b3c4d5e6", name="Alpha's lawyer")
OTHER_FIRM = Principal(role=Role.PUBLIC, key_id="0a0b0c0d0e0f", name="someone else")
FILE = """mutation($u: String!, $r: String!) {
  fileObjection(uscc: $u, recordId: $r, grounds: "paid") { objectionId filedBy grounds } }"""
READ = "query($o: String!) { objection(objectionId: $o) { objectionId filedBy grounds } }"


def _error(body: dict[str, object]) -> tuple[str, str]:
    errors = body["errors"]
    assert isinstance(errors, list)
    return str(errors[0]["extensions"]["code"]), str(errors[0]["message"])


def test_objections_are_read_by_their_filer_and_agency_roles_only(gql: Gql) -> None:
    filed = gql(FILE, FIRM, u=uscc("A"), r="R1")["data"]["fileObjection"]
    oid = filed["objectionId"]
    for reader in (FIRM, INVESTIGATOR, RESTRICTED, ADMIN):
        shown = gql(READ, reader, o=oid)
        assert shown["data"]["objection"]["grounds"] == "paid", reader
    unknown = gql(READ, PUBLIC, o="obj-does-not-exist")
    assert unknown == {"data": {"objection": None}}
    for outsider in (PUBLIC, OTHER_FIRM):
        body = gql(READ, outsider, o=oid)
        assert body == unknown  # the same answer as for an id that does not exist
        assert "paid" not in str(body) and FIRM.key_id not in str(body)


def test_filing_against_a_hidden_record_answers_as_for_an_unknown_one(gql: Gql) -> None:
    hidden = _error(gql(FILE, FIRM, u=uscc("A"), r="R3"))  # restricted, SAMR-FJ
    unknown = _error(gql(FILE, FIRM, u=uscc("A"), r="R-none"))
    assert hidden[0] == unknown[0] == "NOT_FOUND"
    assert hidden[1].replace("R3", "ID") == unknown[1].replace("R-none", "ID")
    other_firm = _error(gql(FILE, FIRM, u=uscc("B"), r="R3"))
    assert other_firm == hidden  # not "neither firm B's nor ...": that would confirm it exists
    # the restricted key of the record's agency sees it, so it may object to it
    allowed = gql(FILE, Principal(role=Role.RESTRICTED, key_id="aa11bb22cc33", name="fj",
                                  agencies=("SAMR-FJ",)), u=uscc("A"), r="R3")
    assert "errors" not in allowed, allowed


PROTECTED = """query($u: String!) { company(uscc: $u) { name ownershipType
  legalRepresentatives { name politicalConnection } } }"""


@pytest.mark.parametrize("who", [PUBLIC, FIRM])
def test_protected_attributes_are_forbidden_below_agency_roles(gql: Gql,
                                                               who: Principal) -> None:
    body = gql(PROTECTED, who, u=uscc("A"))
    company = body["data"]["company"]
    assert company["name"] == "Alpha Holdings"  # the rest of the answer survives
    assert company["ownershipType"] is None
    assert all(p["politicalConnection"] is None for p in company["legalRepresentatives"])
    paths = {tuple(e["path"][-1:]) for e in body["errors"]}
    assert paths == {("ownershipType",), ("politicalConnection",)}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}


def test_agency_roles_see_protected_attributes(gql: Gql) -> None:
    body = gql(PROTECTED, INVESTIGATOR, u=uscc("A"))
    assert "errors" not in body
    assert body["data"]["company"]["ownershipType"] == "private"


# The disclosure matrix over every text of every screen and report (item 2): no text names a
# record the caller may not see — its id, or the agency that alone holds it — while the same
# texts do name it for a role that may see it. R5 (court-X) is P1's restricted listing, R9
# (MOF) H's restricted procurement ban, R3 (SAMR-FJ) A's restricted penalty, R2 / R6 (STA)
# agency-shared.
HIDDEN = {INVESTIGATOR: {"R3", "R5", "R9", "SAMR-FJ", "court-X", "MOF"},
          RESTRICTED: {"R5", "R9", "court-X", "MOF"},
          ADMIN: set()}
SHOWN = {INVESTIGATOR: {"R4"}, RESTRICTED: {"R4"}, ADMIN: {"R4", "R5", "R9", "court-X", "MOF"}}
SCREENS = {
    "exposure of I (D supplies I; D's legal representative P1 is listed)":
        ('query($u: String!) { exposureReport(uscc: $u) { uscc name direction countsByReason '
         'suppliers } }', {"u": uscc("I")}),
    "exposure of A": ('query($u: String!) { exposureReport(uscc: $u) { name suppliers '
                      'countsByReason } }', {"u": uscc("A")}),
    "bid screen of BD (D, P1 listed)":
        ('{ screenBid(tenderId: "T1", bidId: "BD") { tenderId bidId asOf barred parties } }',
         {}),
    "bid screen of H (restricted ban)":
        ('query($h: String!) { screenBid(tenderId: "T1", members: [$h]) { barred parties } }',
         {"h": uscc("H")}),
    "cartel screen": ('{ cartelScreen(flaggedOnly: false) { threshold groups { groupId members '
                      'tenders statistics links blacklistedMembers cypher } linkedBidders '
                      'blacklistedBids } }', {}),
    "red flags of T1": ('{ tenderRedFlags(tenderId: "T1") { indicator title group id value '
                        'tenderId evidence cypher } }', {}),
}


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("who", [INVESTIGATOR, RESTRICTED, ADMIN], ids=lambda p: p.role.value)
def test_no_screen_text_names_a_hidden_record(gql: Gql, screen: str, who: Principal) -> None:
    query, variables = SCREENS[screen]
    body = gql(query, who, **variables)
    assert "errors" not in body, body
    text = str(body["data"])
    leaked = {word for word in HIDDEN[who] if word in text}
    assert not leaked, f"{screen} names {leaked} to {who.role.value}"


def test_screen_texts_name_what_the_caller_may_see(gql: Gql) -> None:
    texts = {who: " ".join(str(gql(q, who, **v)["data"]) for q, v in SCREENS.values())
             for who in SHOWN}
    for who, words in SHOWN.items():
        assert words <= {w for w in words if w in texts[who]}, who.role.value
    hidden_ban = gql(*SCREENS["bid screen of H (restricted ban)"][:1], INVESTIGATOR,
                     h=uscc("H"))["data"]["screenBid"]
    assert hidden_ban["barred"] is True  # the verdict stands, unnamed
    assert hidden_ban["parties"][0]["withheld"] == 1 and hidden_ban["parties"][0]["bars"] == []


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskgraph", *args], capture_output=True,
                          text=True, cwd=PROJECT_ROOT, env=dict(os.environ), check=False,
                          timeout=300)


def test_cli_reports_are_written_for_a_role_and_say_so(api_graph: Driver) -> None:
    for fmt in ("html", "json", "csv"):
        public = _cli("report", "exposure", uscc("I"), "--format", fmt)
        assert public.returncode == 0, public.stderr
        assert "Disclosure: written for role public" in public.stdout
        text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", public.stdout)
        assert fmt != "json" or "R4" in text  # HTML and CSV show the texts, JSON the evidence
        leaks = [text[max(0, m.start() - 200):m.end()] for m in re.finditer("court-X|R5", text)]
        assert not leaks, leaks
    admin = _cli("report", "exposure", uscc("I"), "--format", "json", "--role", "admin")
    assert admin.returncode == 0 and "court-X" in admin.stdout and "R5" in admin.stdout
    bid = _cli("screen", "bid", "--tender", "T1", "--member", uscc("H"), "--json")
    assert bid.returncode == 0, bid.stderr
    assert '"barred": true' in bid.stdout and "MOF" not in bid.stdout and "R9" not in bid.stdout
    wrong = _cli("report", "exposure", uscc("I"), "--role", "restricted")
    assert wrong.returncode == 2 and "--agency" in wrong.stderr + wrong.stdout
