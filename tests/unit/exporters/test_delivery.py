"""Writing to a USB drive (motion-packets §9): atomic copy, verify-after-write, failures leave no final folder."""

import errno
import os

import pytest

from clearmyrecord_desktop.documents.export import deliver_staged, export_all
from clearmyrecord_desktop.documents.verify import verify_folder
from clearmyrecord_desktop.errors import Cancelled, DiskFullError, DriveRemovedError, KnownError, VerificationError
from clearmyrecord_desktop.exporters import delivery as dl
from clearmyrecord_desktop.jobs.progress import CancelToken, RecordingProgress


@pytest.fixture
def staged(tmp_path):
    root = tmp_path / "staging" / "CMR-LA-20200703-101530"
    (root / "packets" / "P1").mkdir(parents=True)
    (root / "packets" / "P1" / "court_data.csv").write_bytes(b"a,b\r\n" * 40000)
    (root / "packets" / "P1" / "manifest.json").write_text("{}\n")
    (root / "packets" / "P1" / "SHA256SUMS").write_text("x\n")
    (root / "summary").mkdir()
    (root / "summary" / "summary_report.docx").write_bytes(os.urandom(300_000))
    (root / "export_manifest.json").write_text("{}\n")
    (root / "SHA256SUMS").write_text("y\n")
    return root


@pytest.fixture
def usb(tmp_path):
    d = tmp_path / "usb"
    d.mkdir()
    return d


class Recorder(dl.FileOps):
    def __init__(self):
        self.opened = []
        self.sleeps = []

    def open_write(self, path):
        self.opened.append(path.name)
        return super().open_write(path)

    def sleep(self, seconds):
        self.sleeps.append(seconds)


class FailAfter(dl.FileOps):
    """Raises ``exc`` once ``limit`` bytes have been written."""

    def __init__(self, exc, limit=250_000):
        self.exc, self.limit, self.written = exc, limit, 0

    def write(self, fh, data):
        if self.written + len(data) > self.limit:
            raise self.exc
        self.written += len(data)
        super().write(fh, data)


def _leftovers(usb):
    return sorted(p.name for p in usb.iterdir())


def test_successful_delivery(staged, usb):
    rec = Recorder()
    progress = RecordingProgress()
    res = dl.deliver(staged, usb, fs=rec, progress=progress)
    assert res.final_path == usb / staged.name and res.files == 6
    assert _leftovers(usb) == [staged.name]
    assert not (res.final_path / ".cmr-partial").exists()
    for rel in dl.walk_files(staged):
        assert (res.final_path / rel).read_bytes() == (staged / rel).read_bytes()
    # marker first, data files, then packet manifests, then the export manifest and its sums last
    assert rec.opened[0] == ".cmr-partial"
    assert rec.opened[-2:] == ["export_manifest.json", "SHA256SUMS"]
    assert rec.opened.index("manifest.json") > rec.opened.index("court_data.csv")
    assert any("Verifying" in m for _, _, m in progress.updates)


def test_copy_order():
    rels = ["SHA256SUMS", "export_manifest.json", "packets/P/SHA256SUMS", "packets/P/manifest.json",
            "packets/P/court_data.csv", "summary/a.png"]
    assert dl.copy_order(rels) == ["packets/P/court_data.csv", "summary/a.png", "packets/P/manifest.json",
                                   "packets/P/SHA256SUMS", "export_manifest.json", "SHA256SUMS"]


def test_preflight_refuses_before_writing(staged, usb):
    class Small(dl.FileOps):
        def disk_free(self, path):
            return 31 * dl.MB

    class Big(dl.FileOps):
        def disk_free(self, path):
            return 200 * dl.MB

    (staged / "summary" / "big.bin").write_bytes(b"\0" * (80 * dl.MB))
    with pytest.raises(DiskFullError) as info:
        dl.deliver(staged, usb, fs=Small())
    assert str(info.value) == "The drive has 31 MB free; this export needs 86 MB."
    assert _leftovers(usb) == []
    dl.deliver(staged, usb, fs=Big())


@pytest.mark.parametrize("exc", [OSError(errno.ENOSPC, "No space left on device"),
                                 OSError(errno.EFBIG, "File too large")])
def test_disk_full_during_copy(staged, usb, exc):
    with pytest.raises(DiskFullError) as info:
        dl.deliver(staged, usb, fs=FailAfter(exc))
    msg = str(info.value)
    assert msg.startswith("The drive became full after writing 0.1 of 0.5 MB.")
    assert f"The incomplete copy is named .{staged.name}.partial and has been removed." in msg
    assert _leftovers(usb) == []


def test_windows_disk_full_error_code(staged, usb):
    exc = OSError(0, "There is not enough space on the disk")
    exc.winerror = 112
    with pytest.raises(DiskFullError):
        dl.deliver(staged, usb, fs=FailAfter(exc))
    assert _leftovers(usb) == []


@pytest.mark.parametrize("code", [errno.EIO, errno.ENODEV, errno.ENXIO])
def test_drive_stops_responding(staged, usb, code):
    with pytest.raises(DriveRemovedError) as info:
        dl.deliver(staged, usb, fs=FailAfter(OSError(code, os.strerror(code))))
    assert str(info.value) == dl.REMOVED_MESSAGE
    assert _leftovers(usb) == []


@pytest.mark.parametrize("winerror", [21, 31, 1167])
def test_windows_drive_removed_codes(staged, usb, winerror):
    exc = OSError(0, "device")
    exc.winerror = winerror
    with pytest.raises(DriveRemovedError):
        dl.deliver(staged, usb, fs=FailAfter(exc))


def test_drive_vanishes(staged, tmp_path):
    import shutil

    usb = tmp_path / "mnt" / "usb"
    usb.mkdir(parents=True)

    class Vanish(dl.FileOps):
        n = 0

        def open_write(self, path):
            self.n += 1
            if self.n == 3:
                shutil.rmtree(usb)
            return super().open_write(path)

    with pytest.raises(DriveRemovedError) as info:
        dl.deliver(staged, usb, fs=Vanish())
    assert "could not be removed" not in str(info.value)
    assert not usb.exists()


def test_cleanup_failure_is_named(staged, usb):
    class NoRemove(FailAfter):
        def rmtree(self, path):
            raise OSError(errno.EACCES, "denied")

    with pytest.raises(DiskFullError) as info:
        dl.deliver(staged, usb, fs=NoRemove(OSError(errno.ENOSPC, "full")))
    partial = usb / f".{staged.name}.partial"
    assert str(partial) in str(info.value) and "could not be removed" in str(info.value)
    assert _leftovers(usb) == [partial.name]           # never a folder without .partial
    assert dl.find_partial_folders(usb) == [partial]
    assert dl.remove_partial_folders(usb) == [partial]
    assert _leftovers(usb) == []


def test_verify_after_write_catches_a_bad_copy(staged, usb):
    class BadRead(dl.FileOps):
        def open_read(self, path):
            import io

            data = bytearray(path.read_bytes())
            if path.name == "court_data.csv":
                data[10] ^= 1
            return io.BytesIO(bytes(data))

    with pytest.raises(VerificationError) as info:
        dl.deliver(staged, usb, fs=BadRead())
    assert "packets/P1/court_data.csv" in str(info.value)
    assert _leftovers(usb) == []


def test_cancel_during_copy(staged, usb):
    token = CancelToken()

    class CancelOnThird(dl.FileOps):
        n = 0

        def open_write(self, path):
            self.n += 1
            if self.n == 3:
                token.cancel()
            return super().open_write(path)

    with pytest.raises(Cancelled):
        dl.deliver(staged, usb, fs=CancelOnThird(), cancel=token)
    assert _leftovers(usb) == []


def test_rename_retries_while_antivirus_holds_files(staged, usb):
    class Busy(Recorder):
        tries = 0

        def rename(self, src, dst):
            self.tries += 1
            if self.tries < 3:
                raise PermissionError(errno.EACCES, "in use")
            super().rename(src, dst)

    fs = Busy()
    res = dl.deliver(staged, usb, fs=fs)
    assert res.final_path.is_dir() and fs.tries == 3 and fs.sleeps == [0.1, 0.2]

    class AlwaysBusy(Recorder):
        def rename(self, src, dst):
            raise PermissionError(errno.EACCES, "in use")

    other = usb.parent / "usb2"
    other.mkdir()
    with pytest.raises(KnownError):
        dl.deliver(staged, other, fs=AlwaysBusy(), rename_timeout_s=1.0)
    assert _leftovers(other) == []


def test_existing_final_folder_is_not_overwritten(staged, usb):
    (usb / staged.name).mkdir()
    with pytest.raises(KnownError, match="already exists"):
        dl.deliver(staged, usb)


def test_missing_destination(staged, tmp_path):
    with pytest.raises(DriveRemovedError):
        dl.deliver(staged, tmp_path / "gone")


def test_stale_staging_cleanup(isolated_user_folders):
    from datetime import datetime, timedelta

    old = dl.new_staging_dir("CMR-OLD")
    assert old.is_dir() and old.parent.parent == dl.staging_root()
    assert dl.cleanup_stale_staging(24, now=datetime.now()) == []
    assert dl.cleanup_stale_staging(24, now=datetime.now() + timedelta(hours=25)) == [old.parent]
    assert list(dl.staging_root().iterdir()) == []


def test_export_to_full_drive_keeps_staging_for_another_drive(ws, settings, clock, tmp_path):
    usb1 = tmp_path / "usb1"
    usb1.mkdir()
    with pytest.raises(DiskFullError) as info:
        export_all(ws, 1, usb1, kind="draft", settings=settings, clock=clock, what="packets",
                   fs=FailAfter(OSError(errno.ENOSPC, "full"), limit=50_000))
    assert _leftovers(usb1) == []
    staged = info.value.staging_dir
    assert staged.is_dir() and verify_folder(staged).ok
    assert ws.query("SELECT count(*) FROM export_record")[0][0] == 0
    usb2 = tmp_path / "usb2"
    usb2.mkdir()
    result = deliver_staged(ws, staged, usb2, clock=clock)
    assert result.verified and verify_folder(result.export_dir).ok
    assert not staged.exists()
    assert ws.query("SELECT count(*) FROM export_record")[0][0] == 1
