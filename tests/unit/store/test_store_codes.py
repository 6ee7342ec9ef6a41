"""GDELT/PLOVER code helpers: actor codes split into GDELT columns, FIPS codes, geo types, dates."""

from __future__ import annotations

import datetime as dt

from veille.store.export.codes import (
    GEO_COUNTRY,
    GEO_US_CITY,
    GEO_WORLD_CITY,
    fips,
    fraction_date,
    geo_type,
    plover_of,
    split_actor,
    stamp,
    translation_info,
)
from veille.store.rows import goldstein_and_quad


def test_split_actor_codes() -> None:
    usa = split_actor("USAGOV")
    assert (usa.country, usa.type1, usa.known_group) == ("USA", "GOV", "")
    nato = split_actor("IGOWSTNAT")
    assert (nato.country, nato.type1, nato.known_group) == ("", "IGO", "NAT")
    assert split_actor("RUSMILREB").type2 == "REB" and split_actor(None).country == ""


def test_fips_and_geo_types() -> None:
    assert (fips("BY"), fips("DE"), fips("GB"), fips("IQ"), fips(None)) == ("BO", "GM", "UK", "IZ", "")
    assert geo_type("country", "BY") == GEO_COUNTRY
    assert geo_type("city", "BY") == GEO_WORLD_CITY and geo_type("city", "US") == GEO_US_CITY
    assert geo_type("region", None) is None  # "Europe": no GDELT resolution for it


def test_dates_and_codes() -> None:
    assert fraction_date(dt.date(2020, 1, 1)) == 2020.0
    assert 2020.49 < fraction_date(dt.date(2020, 7, 1)) < 2020.51
    assert stamp(dt.datetime(2020, 2, 4, 13, 5, 9)) == "20200204130509" and stamp(
        dt.date(2020, 2, 4)
    ).endswith("000000")
    assert translation_info("fr") == "srclc:fra" and translation_info("en") == ""
    assert plover_of("042") == ("CONSULT", "visit", [])
    assert plover_of("0101")[0] is None  # CAMEO 01x: dropped by PLOVER
    assert goldstein_and_quad("186") == (-10.0, 4) and goldstein_and_quad("0499")[1] == 1
