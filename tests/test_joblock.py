"""The job lock: one run of a job at a time, a second one told who holds it, and a dead
holder's lock taken over."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from archive.errors import JobBusyError
from archive.state.joblock import JobLock


class TestJobLock:
    def test_second_holder_is_told_who_runs(self, tmp_path):
        holder = subprocess.Popen(
            [sys.executable, "-c", f"""
import sys, time
from archive.state.joblock import JobLock
JobLock({str(tmp_path)!r}, "job").acquire()
print("locked", flush=True)
time.sleep(60)
"""], stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "locked"
            with pytest.raises(JobBusyError) as caught:
                JobLock(tmp_path, "job").acquire()
            message = str(caught.value)
            assert f"process {holder.pid}" in message and f"kill {holder.pid}" in message
            assert "\n" not in message
        finally:
            holder.kill()
            holder.wait()
            holder.stdout.close()
        # The kernel dropped the dead holder's lock: taken over, and said so.
        lock = JobLock(tmp_path, "job").acquire()
        assert lock.previous_holder["pid"] == holder.pid
        lock.release()

    def test_released_lock_leaves_no_holder(self, tmp_path):
        JobLock(tmp_path, "job").acquire().release()
        lock = JobLock(tmp_path, "job").acquire()
        assert lock.previous_holder is None
        info = json.loads((tmp_path / "job.lock").read_text())
        assert info["pid"] == os.getpid()
        lock.release()

    def test_other_jobs_are_independent(self, tmp_path):
        with JobLock(tmp_path, "one"), JobLock(tmp_path, "two"):
            pass

    def test_same_process_may_take_its_own_lock_again(self, tmp_path):
        outer = JobLock(tmp_path, "job").acquire()
        inner = JobLock(tmp_path, "job").acquire()
        inner.release()  # the outer holder keeps it
        script = f"""
from archive.state.joblock import JobLock
from archive.errors import JobBusyError
try:
    JobLock({str(tmp_path)!r}, "job").acquire()
except JobBusyError:
    print("busy")
"""
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        assert out.stdout.strip() == "busy"
        outer.release()
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        assert out.stdout.strip() == ""
