"""Web pages of ``veille watch``: the alerts (newest first, filter by rule and kind) and one claim's
status over time with the article that changed it. Data access: :mod:`veille.store.read_alerts`."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from veille.api.context import Conn
from veille.api.routers.params import PRINTABLE, Id, Offset
from veille.store.read_alerts import alert_rules, claim_history, list_alerts
from veille.web.templating import pager, render

router = APIRouter(include_in_schema=False)

Kind = Literal["", "new_claim", "status_change", "contradiction", "burst"]


@router.get("/alerts")
def alerts_page(
    request: Request,
    conn: Conn,
    rule: Annotated[str | None, Query(max_length=128, pattern=PRINTABLE)] = None,
    kind: Annotated[Kind, Query()] = "",
    offset: Offset = 0,
) -> Response:
    page = list_alerts(conn, rule=rule or None, kind=kind or None, limit=30, offset=offset)
    params = {"rule": rule, "kind": kind}
    return render(
        request, "alerts.html", page=page, pager=pager(page, params), params=params, rules=alert_rules(conn)
    )


@router.get("/claims/{claim_id}/history")
def claim_history_page(request: Request, conn: Conn, claim_id: Id) -> Response:
    history = claim_history(conn, claim_id)
    if history is None:
        raise HTTPException(404, f"no claim {claim_id}")
    return render(request, "claim_history.html", history=history)
