"""The DOCX template of each form: a blank paper version of the form with its fields, how to
write each, the pledge and the signature, generated with python-docx.

python-docx stamps the package with the current time; the core properties and every zip entry
get fixed times instead, so the bytes depend on the form alone and `--check` can compare them."""

from datetime import UTC, datetime
from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from tools.sample_catalogue.forms import Form

FIXED_TIME = datetime(2026, 1, 1, tzinfo=UTC)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
UNUSED_PARTS = ("/stylesWithEffects", "/thumbnail", "/customXml")
KEPT_STYLES = {"Normal"}
PLEDGE = (
    "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp "
    "luật về lời cam đoan của mình."
)


def template_bytes(form: Form) -> bytes:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    _centered(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    _centered(document, "Độc lập - Tự do - Hạnh phúc", bold=True)
    _centered(document, form.title.upper(), bold=True, size=14)
    document.add_paragraph(f"Kính gửi: {form.addressee}")
    for field in form.fields:
        hint = f" ({field.hint})" if field.hint else ""
        document.add_paragraph(f"{field.title}{hint}: " + "." * 40)
    document.add_paragraph(PLEDGE)
    signature = document.add_paragraph(
        "........, ngày ..... tháng ..... năm ......\nNgười yêu cầu\n(Ký, ghi rõ họ, chữ đệm, tên)"
    )
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    note = document.add_paragraph()
    run = note.add_run(
        f"Dữ liệu mẫu của DVC Gateway, không phải mẫu chính thức. Tham chiếu: {form.model}."
    )
    run.italic = True
    run.font.size = Pt(10)
    properties = document.core_properties
    properties.title = form.title
    properties.author = "DVC Gateway (dữ liệu mẫu)"
    properties.last_modified_by = "tools/sample_catalogue"
    properties.created = FIXED_TIME
    properties.modified = FIXED_TIME
    properties.revision = 1
    _drop_unused_parts(document)
    buffer = BytesIO()
    document.save(buffer)
    return _with_fixed_times(buffer.getvalue())


def _centered(document: Any, text: str, *, bold: bool, size: int = 13) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _drop_unused_parts(document: Any) -> None:
    """Keep the templates small (a few kB, not 37): the default package's legacy styles
    (stylesWithEffects), thumbnail and custom XML are not needed, nor the styles the form does
    not use."""
    for rel in list(document.part.rels.values()):
        if rel.reltype.endswith(UNUSED_PARTS):
            document.part.drop_rel(rel.rId)
    package_rels = document.part.package.rels
    for rid in [rid for rid, rel in package_rels.items() if rel.reltype.endswith(UNUSED_PARTS)]:
        package_rels.pop(rid)
    styles = document.styles.element
    for element in list(styles):
        tag = element.tag.rsplit("}", 1)[-1]
        default = element.get(qn("w:default")) == "1"
        if tag == "latentStyles" or (
            tag == "style" and not default and element.get(qn("w:styleId")) not in KEPT_STYLES
        ):
            styles.remove(element)


def _with_fixed_times(package: bytes) -> bytes:
    out = BytesIO()
    with ZipFile(BytesIO(package)) as source, ZipFile(out, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
