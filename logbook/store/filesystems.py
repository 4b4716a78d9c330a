"""Where a logbook file lives: on a network share, where SQLite's locks cannot be trusted.

SQLite's own advice (https://www.sqlite.org/useovernet.html): a database on NFS, SMB and the like can be damaged
when two computers write to it, because those file systems' locks are unreliable. The app warns; a shared log
belongs on a database server (a SQLAlchemy URL).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Linux file system types (as /proc/mounts names them) whose files other computers reach over a network.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "coda", "9p", "ceph", "glusterfs", "lustre", "gpfs",
        "ocfs2", "gfs2", "davfs", "sshfs", "fuse.sshfs", "fuse.glusterfs", "fuse.ceph", "fuse.cephfs", "fuse.davfs2",
        "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.smbnetfs", "fuse.afpfs", "fuse.curlftpfs",
    }
)  # fmt: skip
MOUNTS = Path("/proc/self/mounts")
_DRIVE_REMOTE = 4  # GetDriveTypeW's answer for a mapped network drive


def network_filesystem(path: Path, mounts: str | None = None) -> str | None:
    """The network file system ``path`` is on ("nfs4", "cifs", "fuse.sshfs"…; "UNC path" or "network drive" on
    Windows), or None when it is local or cannot be told. ``mounts`` is the text of /proc/mounts (for tests)."""
    if sys.platform == "win32" or _is_unc(str(path)):
        return _windows_network(path)
    if mounts is None:
        try:
            mounts = MOUNTS.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None  # not Linux (macOS, BSD): nothing cheap and reliable to ask
    fstype = _mount_type(_existing(path), mounts)
    return fstype if fstype in NETWORK_FILESYSTEMS else None


def network_warning(path: Path, mounts: str | None = None) -> str | None:
    """The warning to show for a logbook on a network share, None for one on a local disk."""
    fstype = network_filesystem(path, mounts)
    if fstype is None:
        return None
    return (
        f"{path.name} is on a network share ({fstype}). SQLite is not safe there: the share's file locks cannot "
        "be trusted, and two computers writing at once can damage the logbook. Keep the logbook on this "
        "computer, or keep a shared log on a database server (open a SQLAlchemy URL such as "
        "postgresql://user@server/logbook)."
    )


def _is_unc(text: str) -> bool:
    return text.startswith(("\\\\", "//")) and not text.startswith(("\\\\?\\", "\\\\.\\", "//?/", "//./"))


def _windows_network(path: Path) -> str | None:
    text = str(path)
    if _is_unc(text):
        return "UNC path"
    if sys.platform != "win32":
        return None
    import ctypes  # Windows only

    drive = os.path.splitdrive(str(path.resolve()))[0]
    if drive and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == _DRIVE_REMOTE:  # type: ignore[attr-defined]
        return "network drive"
    return None


def _existing(path: Path) -> Path:
    """``path`` with the links in the part of it that exists resolved (a new logbook is not on disk yet)."""
    path = path.expanduser().absolute()
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate.resolve() / path.relative_to(candidate)
    return path


def _mount_type(path: Path, mounts: str) -> str | None:
    """The type of the mount with the longest mount point containing ``path`` (the one it is really on)."""
    best: tuple[int, str] | None = None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = Path(_unescape(fields[1]))
        contains = path == point or point in path.parents
        if contains and (best is None or len(point.parts) >= best[0]):  # the later of two mounts on one point
            best = (len(point.parts), fields[2])
    return best[1] if best else None


def _unescape(field: str) -> str:
    r"""/proc/mounts writes a space in a mount point as \040 (and tab, newline, backslash as octal too)."""
    if "\\" not in field:
        return field
    return field.encode("latin-1", "backslashreplace").decode("unicode_escape")
