"""API schemas for the domain core (XBase / XCreate / XPublic); tables never leave the API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool

from supervise.validators import (
    validate_id_number,
    validate_industry_code,
    validate_name,
    validate_region_code,
    validate_text,
    validate_uscc,
)

USCC = Annotated[str, AfterValidator(validate_uscc)]
RegionCode = Annotated[str, AfterValidator(validate_region_code)]
IndustryCode = Annotated[str, AfterValidator(validate_industry_code)]
IdNumber = Annotated[str, AfterValidator(validate_id_number)]
Name = Annotated[str, AfterValidator(validate_name)]  # one line, no control or format characters
Text = Annotated[str, AfterValidator(validate_text)]  # free text: line breaks allowed, no format characters
EnterpriseStatus = Literal["存续", "注销", "吊销"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EnterpriseBase(Strict):
    uscc: USCC = Field(description="统一社会信用代码 (check digit verified)")
    name: Name = Field(min_length=2, max_length=128)
    legal_rep_name: Name = Field(min_length=1, max_length=64)
    region_code: RegionCode
    township_code: RegionCode | None = None
    industry_code: IndustryCode
    registered_on: date
    status: EnterpriseStatus = "存续"


class EnterpriseCreate(EnterpriseBase):
    legal_rep_id_number: IdNumber | None = Field(default=None, description="stored, never shown publicly")
    confirm_restricted: StrictBool = Field(
        default=False, description="登记人员已核实任职限制（如不负个人责任）后仍予登记；记入审计日志"
    )


OfficerRole = Literal["董事", "监事", "高级管理人员"]


class OfficerIn(Strict):
    role: OfficerRole
    name: Name = Field(min_length=1, max_length=64, title="姓名")
    id_number: IdNumber = Field(title="身份证号码")


class OfficersUpdate(Strict):
    """The legal representative and the officers of an entity after a change (备案)."""

    legal_rep_name: Name = Field(min_length=1, max_length=64)
    legal_rep_id_number: IdNumber
    officers: list[OfficerIn] = Field(default_factory=list, max_length=50)
    confirm_restricted: StrictBool = False


class OfficersChanged(BaseModel):
    uscc: str
    officers: int
    restricted: list[str] = []  # the flags recorded (names and bases; never ID numbers)


class EnterprisePublic(EnterpriseBase):
    model_config = ConfigDict(from_attributes=True)
    id: int
    region_name: str | None = None


class EnterprisePage(BaseModel):
    total: int
    page: int
    per_page: int
    items: list[EnterprisePublic]


class ImportRowError(BaseModel):
    line: int
    field: str
    message: str


class ImportReport(BaseModel):
    imported: int
    skipped: int = 0
    errors: list[ImportRowError] = []


class LicenseCreate(Strict):
    uscc: USCC
    matter_code: str = Field(min_length=1, max_length=32)
    matter_name: str = Field(min_length=1, max_length=64)
    department_code: str = Field(min_length=1, max_length=32)
    issued_on: date
    expires_on: date | None = None
    check_id: str | None = Field(default=None, max_length=32, description="许可前信用核查的核查编号")


class LicensePublic(BaseModel):
    id: int
    uscc: str
    enterprise_name: str
    matter_code: str
    matter_name: str
    department_code: str
    department_name: str
    issued_on: date
    expires_on: date | None
    check_id: str | None = None  # the licensing check it followed
    unchecked: bool = False  # 未查询即许可


class RegionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    code: str
    name: str
    level: str
    parent_code: str | None


class DepartmentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    name: str
    kind: str
    level: str
    region_code: str


class UserPublic(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    department_id: int | None


class TokenCreate(Strict):
    name: str = Field(min_length=1, max_length=64)


class TokenIssued(BaseModel):
    id: int
    name: str
    token: str = Field(description="shown only once")


class JobAccepted(BaseModel):
    job_id: str
    status_url: str


class JobProgress(BaseModel):
    done: int = 0
    total: int | None = None
    message: str = ""


class JobStatus(BaseModel):
    id: str
    status: str
    description: str | None = None
    progress: JobProgress | None = None
    enqueued_at: str | None = None
    ended_at: str | None = None
    result: Any = None
    error: str | None = None


class AuditEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    created_at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    payload: str
    hash: str


class Health(BaseModel):
    status: str
    database: str
    redis: str
