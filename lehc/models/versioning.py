"""One number that every committed change to the data moves on (see lehc.page_cache)."""

from __future__ import annotations

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from lehc.extensions import db


class DataVersion(db.Model):
    """A single row (id 1). Its `n` goes up by one in the same transaction as any change to the data, so a
    reader who sees `n` unchanged knows that nothing it rendered earlier has changed since."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
