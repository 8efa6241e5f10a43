"""Keep a project's outputs whole: one build at a time, staging, and a publish that a killed process cannot break.

Inside a project folder:

    site/                      the public site     } published trees (generator.outputs decides
    print/                     internal print sets } which folder holds what, for whom)
    .branchbook/lock           the project lock
    .branchbook/build-*/       staging of a build in progress: docs/, site/, print/
    .branchbook/publish.json   journal of a publish in progress
    .branchbook/site-cache.json  the build cache's manifest of site/ (generator.build_cache),
                               published with the trees

Lock. `project_lock` takes a POSIX record lock (`fcntl.lockf`) on
.branchbook/lock and writes the holder's process id into the file. The
operating system drops the lock when the process ends, however it ends, so a
killed build never leaves a stale lock. `flock` would not do: its lock belongs
to the open file, which the PDF worker processes inherit when they are forked,
so workers orphaned by a killed build would keep the folder locked. A second
process waits up to `LOCK_WAIT` seconds, then stops with a Chinese message
naming the holder.

Publish. Every tree is built complete in staging. `publish` first writes a
journal naming the staged trees (by inode), then exchanges each staged tree
with the live one in a single `renameat2(RENAME_EXCHANGE)` call (Linux 3.15+ on
ext4, XFS, Btrfs, tmpfs, overlayfs): at every instant `site/` and `print/` are
real, complete directories, either the old or the new one. Where the system
cannot exchange (another kernel, a file system without the call) each tree is
switched with two renames, which leaves a moment without the live folder. In
both cases a kill between the steps is repaired at the next start, under the
lock: `recover` finishes the journalled publish, so the public site and the
print sets of one build always end up published together. The old trees end up
in staging and are deleted with it; staging left by killed builds is removed at
the next start. Ctrl+C during the switch (a few milliseconds) is ignored, so
an interrupted build either publishes completely or not at all. Published
trees are real directories rather than symlinks to releases, so `cp -r`,
`rsync -a` and file managers copy the files themselves.

This protects against processes being killed, not against power loss: trees
are not fsynced file by file.

Test hook: with BRANCHBOOK_TEST_KILL_AT set to a step name of `publish` (see
`PUBLISH_STEPS`), the process kills itself with SIGKILL at that step, so tests
can interrupt a publish at an exact point. Nothing else reads the variable.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from generator.errors import UserError
from generator.interrupts import interrupts_ignored

STATE_DIR = ".branchbook"
LOCK_FILE = "lock"
JOURNAL = "publish.json"
STAGING_PREFIX = "build-"
LOCK_WAIT = 5.0
KILL_AT_ENV = "BRANCHBOOK_TEST_KILL_AT"
# The steps of `publish` at which the test hook can kill the process, in order.
PUBLISH_STEPS = ("before-journal", "after-journal", "after-first-tree", "after-trees", "after-journal-removed")

# Folders that earlier versions left in the project (a build killed between two renames of site/, the preview's
# Markdown pages); removed at the next start.
_LEGACY_OLD_SITE = "site.old-*"
_LEGACY_STATE = ("serve-docs",)


class ProjectBusy(UserError):
    """Another branchbook process holds the project lock."""

    def report(self) -> str:
        return f"错误：{self}"


# ---- Lock -------------------------------------------------------------------


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:           # no POSIX locks on this system: run unlocked
        return True
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise
    return True


def _holder(lock_path: Path) -> str:
    try:
        text = lock_path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return text if text.isdigit() else ""


@contextmanager
def project_lock(root: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the project folder's lock; raise ProjectBusy if another process keeps it for `wait` seconds."""
    state = root / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    lock_path = state / LOCK_FILE
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                pid = _holder(lock_path)
                who = f"（进程 {pid}）" if pid else ""
                raise ProjectBusy(f"另一个 branchbook 正在生成此文件夹{who}，请等它完成后再试。")
            time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        os.close(fd)      # closing the descriptor releases the POSIX lock


# ---- Staging ----------------------------------------------------------------


def _remove(path: Path) -> None:
    """Delete a file or tree; a tree that keeps changing (a killed build's orphaned worker) is left for next time."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
        return
    for _ in range(3):
        try:
            shutil.rmtree(path)
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.05)
    shutil.rmtree(path, ignore_errors=True)


@contextmanager
def staging(root: Path) -> Iterator[Path]:
    """A fresh staging folder under .branchbook/, removed afterwards whatever happens (call under the lock)."""
    state = root / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=state))
    try:
        yield path
    finally:
        _remove(path)


def prepare(root: Path) -> None:
    """At the start of a build, under the lock: finish an interrupted publish, then remove stale staging."""
    recover(root)
    state = root / STATE_DIR
    if state.is_dir():
        for path in sorted(state.glob(f"{STAGING_PREFIX}*")):
            _remove(path)
        for name in (*_LEGACY_STATE, f"{JOURNAL}.tmp"):
            if (state / name).exists():
                _remove(state / name)


def link_tree(source: Path, target: Path) -> None:
    """Copy a published tree into staging as hard links (no data copied); plain copies where links are refused."""
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link)


# ---- Atomic exchange --------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _load_renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_renameat2 = _load_renameat2()


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False (and nothing changed) where the system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def _switch(staged: Path, live: Path) -> None:
    """Put `staged` at `live`; the previous live tree (if any) ends up next to `staged`, inside staging."""
    if not os.path.lexists(live):
        os.rename(staged, live)
    elif not exchange(staged, live):
        os.rename(live, staged.with_name(staged.name + ".old"))
        os.rename(staged, live)


def replace_tree(new: Path, live: Path) -> None:
    """Replace directory `live` by directory `new` (atomically where the system can) and delete the old tree."""
    _switch(new, live)
    _remove(new)                                # the old tree, where the two were exchanged
    _remove(new.with_name(new.name + ".old"))   # or where it was renamed aside


# ---- Publish ----------------------------------------------------------------


def _checkpoint(step: str) -> None:
    if os.environ.get(KILL_AT_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


def _identity(path: Path) -> list[int] | None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    return [info.st_dev, info.st_ino]


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_journal(state: Path, staged: Path, trees: dict[str, list[int] | None],
                   files: dict[str, list[int] | None]) -> None:
    temporary = state / f"{JOURNAL}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump({"staging": staged.name, "trees": trees, "files": files}, handle, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, state / JOURNAL)
    _fsync_dir(state)


def publish(root: Path, staged: Path, names: list[str], state_files: Sequence[str] = ()) -> None:
    """Switch the trees `staged/<name>` into `root/<name>` together (call under the lock).

    `state_files` are files `staged/<name>` that replace `.branchbook/<name>` in the same publish (the build
    cache's site manifest): a publish interrupted after its journal is written completes them with the trees.
    """
    state = root / STATE_DIR
    trees = {name: _identity(staged / name) for name in names}
    files = {name: _identity(staged / name) for name in state_files}
    missing = [name for name, identity in {**trees, **files}.items() if identity is None]
    if missing:
        raise ValueError(f"nothing staged for {missing}")
    with interrupts_ignored():
        _checkpoint("before-journal")
        _write_journal(state, staged, trees, files)
        _checkpoint("after-journal")
        for number, name in enumerate(names):
            _switch(staged / name, root / name)
            if number == 0:
                _checkpoint("after-first-tree")
        for name in state_files:
            os.replace(staged / name, state / name)
        _fsync_dir(root)
        _fsync_dir(state)
        _checkpoint("after-trees")
        (state / JOURNAL).unlink()
        _checkpoint("after-journal-removed")


def recover(root: Path) -> None:
    """Finish a publish that was interrupted (call under the lock, before staging is cleaned)."""
    state = root / STATE_DIR
    journal = state / JOURNAL
    if journal.is_file():
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            staged = state / record["staging"]
            trees = record["trees"]
            files = record.get("files", {})
        except (ValueError, KeyError, TypeError, OSError):
            trees, files, staged = {}, {}, state
        for name, identity in sorted(trees.items()):
            live = root / name
            if _identity(live) == identity:
                continue                      # already switched
            if identity is not None and _identity(staged / name) == identity:
                _switch(staged / name, live)  # roll forward: the staged tree was complete
        for name, identity in sorted(files.items()):
            if identity is not None and _identity(staged / name) == identity:
                os.replace(staged / name, state / name)
        _fsync_dir(root)
        journal.unlink()
    _recover_legacy(root)


def _recover_legacy(root: Path) -> None:
    """Earlier versions renamed site/ away, then the new one in: restore a site left renamed away by a kill."""
    leftovers = sorted(root.glob(_LEGACY_OLD_SITE), key=lambda path: path.stat().st_mtime)
    if leftovers and not os.path.lexists(root / "site"):
        os.rename(leftovers.pop(), root / "site")
    for path in leftovers:
        _remove(path)
