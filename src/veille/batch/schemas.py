"""Explicit Spark schemas of the batch output.

One staging row per input record (an analysed article, or an error) carries the article's scalar
fields and one array of structs per child table. The child columns are those of the store's tables
(``veille.store.records``, filled by the same pure functions of ``veille.store.rows``), plus the
ids that tie them together: ``article_id`` for every row, ``event_id`` / ``claim_id`` for events and
claims (``article_id * 4096 + position``: deterministic, whatever the partitioning), and
``pub_date`` (the article's publication day, the Parquet partition column).
"""

from __future__ import annotations

from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DataType,
    DateType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
)

_TYPES: dict[str, DataType] = {
    "str": StringType(),
    "int": IntegerType(),
    "long": LongType(),
    "float": DoubleType(),
    "bool": BooleanType(),
    "date": DateType(),
    "strs": ArrayType(StringType()),
    "longs": ArrayType(LongType()),
}


def struct(spec: str) -> StructType:
    """``"name:type name:type ..."`` → StructType (all fields nullable; types from ``_TYPES``)."""
    fields = []
    for item in spec.split():
        name, kind = item.split(":")
        fields.append(StructField(name, _TYPES[kind], nullable=True))
    return StructType(fields)


_OFFSETS = "text:str start:int end:int"

CHILD_SCHEMAS: dict[str, StructType] = {
    "article_removed": struct("position:int text:str reason:str"),
    "article_dates": struct(
        f"position:int {_OFFSETS} type:str value:str range_start:str range_end:str timex:str mod:str"
    ),
    "entities": struct(f"position:int {_OFFSETS} label:str"),
    "actors": struct(
        f"position:int {_OFFSETS} name:str code:str country:str role:str kb_id:str confidence:float"
    ),
    "places": struct(
        f"position:int {_OFFSETS} name:str country:str lat:float lon:float geonameid:long kind:str "
        "confidence:float admin1:str"
    ),
    "quotes": struct(
        "position:int local_id:str quote:str start:int end:int type:str speaker_name:str speaker_code:str "
        "speaker_start:int speaker_end:int speaker_mention:str verb:str stance:str verb_class:str via:strs "
        "evidence_start:int evidence_end:int evidence_text:str"
    ),
    "claims": struct(
        "claim_id:long position:int local_id:str text:str origin:str chain:strs status:str by:str key:str "
        "tokens:strs"
    ),
    "claim_evidence": struct("claim_id:long position:int start:int end:int text:str role:str"),
    "events": struct(
        "event_id:long position:int local_id:str cameo:str base_code:str root_code:str plover:str "
        "source_text:str source_code:str source_start:int source_end:int target_text:str target_code:str "
        "target_start:int target_end:int date:str day:date place_name:str place_country:str "
        "place_lat:float place_lon:float place_geonameid:long negated:bool modality:str "
        "claim_local_id:str claim_id:long confidence:float evidence_start:int evidence_end:int "
        "evidence_text:str goldstein:float quad_class:int trigger:str is_root_event:bool sentence_id:int"
    ),
    "mentions": struct(
        "kind:str event_id:long claim_id:long sentence_id:int actor1_offset:int actor2_offset:int "
        "action_offset:int in_raw_text:bool confidence:int doc_len:int"
    ),
}

# Staging columns that are internal to the job (used for linking, not written to the tables).
INTERNAL_COLUMNS: dict[str, tuple[str, ...]] = {"claims": ("tokens",)}

ARTICLE_SCHEMA = struct(
    "article_id:long source:str source_key:str uid:str content_hash:str text_hash:str url:str "
    "canonical_url:str language:str title:str text:str published:date pub_date:str published_source:str "
    "published_evidence:str outlet:str veille_version:str analysis:str minhash:longs bands:longs "
    "error:str stage:str"
)
# Article columns the ``articles`` table leaves out (MinHash data is only used for dedup).
ARTICLE_INTERNAL = ("minhash", "bands", "error", "stage")

STAGING_SCHEMA = StructType(
    [
        *ARTICLE_SCHEMA.fields,
        *(StructField(name, ArrayType(schema), nullable=True) for name, schema in CHILD_SCHEMAS.items()),
    ]
)


__all__ = [
    "ARTICLE_INTERNAL",
    "ARTICLE_SCHEMA",
    "CHILD_SCHEMAS",
    "INTERNAL_COLUMNS",
    "STAGING_SCHEMA",
    "struct",
]
