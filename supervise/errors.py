"""Domain errors: what services raise when they refuse, with no knowledge of HTTP or Flask.

Each kind carries the status the web layer answers with (supervise.web maps them to JSON or a page) and the
CLI turns into a one-line message and exit status 1. Messages are Chinese and name fields by their labels
(supervise.messages)."""

from __future__ import annotations

from typing import Any

from supervise.messages import label


class ApiError(Exception):
    """A refusal: a status, a machine code, a Chinese message and the offending fields."""

    status = 400

    def __init__(
        self,
        status: int | None,
        message: str,
        *,
        code: str = "bad_request",
        fields: list[dict[str, str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status if status is not None else type(self).status
        self.message = message
        self.code = code
        self.fields = fields or []
        self.extra = extra or {}


class Invalid(ApiError):
    """The input breaks a rule (422)."""

    status = 422


class Forbidden(ApiError):
    """This principal may not do this to this object (403)."""

    status = 403


class NotFound(ApiError):
    """The thing named does not exist (404)."""

    status = 404


class Conflict(ApiError):
    """The current state does not allow it, often because someone else acted first (409)."""

    status = 409


class TooLarge(ApiError):
    """The input exceeds a size limit (413)."""

    status = 413


_KINDS: dict[int, type[ApiError]] = {403: Forbidden, 404: NotFound, 409: Conflict, 413: TooLarge, 422: Invalid}


def field_error(field: str, message: str, status: int = 422, *, named: str | None = None) -> ApiError:
    """A refusal naming one field (the kind follows the status: 422 Invalid, 404 NotFound, 409 Conflict...);
    `named` is the field's label on this form where the shared one would mislead."""
    fields = [{"field": field, "label": named or label(field), "message": message}]
    return _KINDS.get(status, ApiError)(status, message, code="validation_error", fields=fields)


def import_rejected(errors: list[Any]) -> ApiError:
    """An import refused as a whole: every bad row's field and message (rows are ImportRowError)."""
    return ApiError(
        422,
        f"{len({e.line for e in errors})} 行有错误，未导入任何数据",
        code="import_rejected",
        fields=[{"field": f"line {e.line}: {e.field}", "message": e.message} for e in errors],
        extra={"errors": [e.model_dump() for e in errors]},
    )
