"""`flask db backup` / `flask db restore`: back up, change data, restore, and the data is back."""
from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Vote


def _need_pg_tools(app) -> None:
    if db.engine.dialect.name == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore not installed (apt-get install postgresql-client)")


def test_backup_change_restore_brings_the_data_back(app, runner, make_idea, make_user, tmp_path):
    _need_pg_tools(app)
    idea = make_idea(title="เพิ่มถังขยะริมชายหาดบางแสนให้พอ")
    voter = make_user()
    from idea4gov.ideas import services

    services.vote(idea, voter)
    db.session.commit()
    idea_id = idea.id
    out = tmp_path / "snapshot.bak"

    result = runner.invoke(args=["db", "backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.stat().st_size > 0 and "backup written to" in result.output

    # Change data after the backup: a new area, the idea renamed, the vote withdrawn.
    db.session.add(Area(slug="after-backup", name_th="หลังสำรอง", name_en="After"))
    db.session.execute(sa.update(Idea).where(Idea.id == idea_id).values(title="แก้ชื่อหลังสำรองข้อมูลแล้วนะ"))
    services.unvote(db.session.get(Idea, idea_id), voter)
    db.session.commit()

    result = runner.invoke(args=["db", "restore", str(out)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    assert db.session.scalar(sa.select(Area).where(Area.slug == "after-backup")) is not None

    result = runner.invoke(args=["db", "restore", str(out), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert db.session.scalar(sa.select(Area).where(Area.slug == "after-backup")) is None
    restored = db.session.get(Idea, idea_id)
    assert restored.title == "เพิ่มถังขยะริมชายหาดบางแสนให้พอ" and restored.vote_count == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 1
    # The restored database still takes writes (sequences came back with it).
    make_idea(area=restored.area, title="ไอเดียใหม่หลังกู้คืนข้อมูลแล้ว")


def test_backup_without_path_writes_a_timestamped_file(app, runner, make_area, tmp_path, monkeypatch):
    _need_pg_tools(app)
    make_area()
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    result = runner.invoke(args=["db", "backup"])
    assert result.exit_code == 0, result.output
    files = list((tmp_path / "backups").iterdir())
    assert len(files) == 1 and files[0].name.startswith("idea4gov-20")


def test_restore_refuses_a_missing_or_broken_file(app, runner, tmp_path):
    result = runner.invoke(args=["db", "restore", str(tmp_path / "nope.bak"), "--yes"])
    assert result.exit_code == 1 and "no backup file" in result.output
    broken = tmp_path / "broken.bak"
    broken.write_bytes(b"this is not a database at all" * 100)
    result = runner.invoke(args=["db", "restore", str(broken), "--yes"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_backup_says_clearly_when_pg_dump_is_missing(app, runner, monkeypatch, tmp_path):
    if db.engine.dialect.name != "postgresql":
        monkeypatch.setitem(app.config, "SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://u:secret@127.0.0.1/x")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = runner.invoke(args=["db", "backup", "--out", str(tmp_path / "x.dump")])
    assert result.exit_code == 1 and "pg_dump not found" in result.output
    assert "secret" not in result.output
