import pytest

from servicedesk.domain.errors import FieldInvalid
from servicedesk.domain.model import Role
from servicedesk.domain.model.agency import (
    Agency,
    agency_code,
    assignable_agency,
    brand_colour,
    may_manage,
    may_manage_agencies,
    may_see,
    may_see_strictly,
)


def test_an_agency_code_is_trimmed_and_upper_cased():
    assert agency_code("  dukcapil ") == "DUKCAPIL"
    assert agency_code("BPJS_KES") == "BPJS_KES"


@pytest.mark.parametrize("raw", ["D", "1DUKCAPIL", "DUK CAPIL", "DUK-CAPIL", "X" * 21, "DUKÇAPIL", "ＤＵＫ"])
def test_an_agency_code_of_the_wrong_form_is_refused(raw):
    with pytest.raises(FieldInvalid) as refused:
        agency_code(raw)
    assert refused.value.code == "agency_code"


def test_an_empty_agency_code_is_required():
    with pytest.raises(FieldInvalid) as refused:
        agency_code("  ")
    assert refused.value.code == "required"


def test_a_brand_colour_is_an_optional_hex_colour():
    assert brand_colour("") is None
    assert brand_colour("#1A5FB4") == "#1a5fb4"
    with pytest.raises(FieldInvalid):
        brand_colour("blue")


def test_an_agency_without_a_short_name_is_called_by_its_code_and_is_deactivated_not_deleted():
    agency = Agency("imigrasi", "Kantor Imigrasi")
    assert agency.short_name == "IMIGRASI"
    agency.rename("Kantor Imigrasi Kelas I", "Imigrasi")
    agency.deactivate()
    assert (agency.name, agency.short_name, agency.active) == ("Kantor Imigrasi Kelas I", "Imigrasi", False)


def test_only_a_site_administrator_manages_agencies():
    assert may_manage_agencies(Role.ADMIN, None)
    assert not may_manage_agencies(Role.ADMIN, 1)
    assert not may_manage_agencies(Role.SUPERVISOR, None)
    assert not may_manage_agencies(Role.OFFICER, None)


def test_a_site_administrator_manages_every_agency_and_the_site():
    assert may_manage(Role.ADMIN, None, 1)
    assert may_manage(Role.ADMIN, None, 2)
    assert may_manage(Role.ADMIN, None, None)


def test_an_agency_administrator_manages_only_their_own_agency_never_the_site():
    assert may_manage(Role.ADMIN, 1, 1)
    assert not may_manage(Role.ADMIN, 1, 2)
    assert not may_manage(Role.ADMIN, 1, None)


def test_officers_and_supervisors_manage_nothing():
    assert not may_manage(Role.OFFICER, 1, 1)
    assert not may_manage(Role.SUPERVISOR, None, 1)


def test_agency_staff_see_their_agency_and_the_shared_site_rows_site_staff_see_all():
    assert may_see(None, 1) and may_see(None, None)
    assert may_see(1, 1) and may_see(1, None)
    assert not may_see(1, 2)


def test_agency_staff_never_see_another_agency_s_counters_or_tickets():
    assert may_see_strictly(1, 1)
    assert not may_see_strictly(1, 2)
    assert not may_see_strictly(1, None)
    assert may_see_strictly(None, 2)


def test_a_row_an_agency_administrator_creates_is_their_agency_s_whatever_the_form_says():
    assert assignable_agency(Role.ADMIN, 1, 2) == 1
    assert assignable_agency(Role.ADMIN, 1, None) == 1
    assert assignable_agency(Role.ADMIN, None, 2) == 2
    assert assignable_agency(Role.ADMIN, None, None) is None
