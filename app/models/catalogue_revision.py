"""The catalogue's revision: one row, bumped in the same transaction as every catalogue write, so
that each process's in-memory catalogue (services/catalogue/cache.py) knows when to rebuild."""

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel


class CatalogueRevision(SQLModel, table=True):
    __tablename__ = "catalogue_revision"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    # A missing row counts as revision 0 (a database created without the migrations).
    revision: int = 0
