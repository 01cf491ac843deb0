"""A second process that analyses articles' text for the search index.

Adding a part to the search index is mostly the analysis of every title and body
(:func:`archive.search.analysis.analysed`), and tantivy's analyser holds the GIL
while it works: a second thread analyses nothing meanwhile. At the end of a crawl
the extraction workers are done and a core is free, so the part's batches of
text are shared between the adding thread and this process, which analyses the
batches it is sent with the same function and sends back the words, in the order
it got them (:class:`AnalysisHelper`).

The process belongs to whoever started it: the kernel kills it when that thread's
process dies (even by SIGKILL), it ignores the SIGINT of a Ctrl-C (the crawl stops
cleanly and ends it), and it exits when its input closes. It is started by path,
not as ``archive.search.helper``: importing the ``archive`` package (queries,
stores, DuckDB's readers) would double its start-up, and it needs only the
analysers.

Anything going wrong with it (it cannot start, dies, answers nonsense) is the
caller's cue to analyse the rest itself: the index comes out the same.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any, BinaryIO

_LENGTH = struct.Struct("!Q")
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Longer than any batch takes (100 articles in ~20 ms); a helper that has not
# answered by then is taken for hung.
_ANSWER_WAIT = 60.0
_READY = "ready"

Texts = list[tuple[str | None, str | None, str]]  # title, body, language group
Words = list[tuple[str, str]]  # the title's and the body's analysed words


class HelperFailed(Exception):
    """The helper could not take or answer a batch: analyse it here."""


def _send(stream: BinaryIO, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if data is None or len(data) != size:
        raise EOFError
    return data


def _receive(stream: BinaryIO) -> Any:
    (size,) = _LENGTH.unpack(_read_exactly(stream, _LENGTH.size))
    return pickle.loads(_read_exactly(stream, size))


class AnalysisHelper:
    """One helper process, from :meth:`start` to :meth:`close`. :meth:`send` a batch
    of texts, :meth:`receive` its words: answers come in the order batches were sent.
    Every failure raises :class:`HelperFailed`, after which the helper is closed."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self.outstanding = 0
        self.answered = 0  # batches it analysed
        self._started = False

    @classmethod
    def start(cls) -> AnalysisHelper:
        command = [sys.executable, str(Path(__file__).with_name("_helper_main.py")),
                   str(os.getpid())]
        try:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       close_fds=True)
        except OSError as exc:
            raise HelperFailed(f"cannot start the analysis helper: {exc}") from None
        return cls(process)

    @property
    def pid(self) -> int:
        return self._process.pid

    def can_take(self) -> bool:
        """True when the helper has started and has no batch: a batch sent before it
        started would wait in the pipe, and so would the sender."""
        if not self._started and self._readable(0):
            if self.receive() != _READY:
                self.close()
                raise HelperFailed("the analysis helper did not start as it should")
            self._started = True
        return self._started and not self.outstanding

    def _readable(self, wait: float) -> bool:
        assert self._process.stdout is not None
        return bool(select.select([self._process.stdout], [], [], wait)[0])

    def send(self, texts: Texts) -> None:
        assert self._process.stdin is not None
        try:
            _send(self._process.stdin, texts)
        except (OSError, ValueError) as exc:
            self.close()
            raise HelperFailed(f"the analysis helper is gone: {exc}") from None
        self.outstanding += 1

    # select() sees the pipe, not the reader's buffer: safe because the helper has at
    # most one message on its way (the handshake, or the answer to the one batch it
    # holds), so a read never takes in part of the next.
    def ready(self) -> bool:
        """True when the oldest answer can be received without waiting."""
        return bool(self.outstanding) and self._readable(0)

    def receive(self) -> Any:
        """The oldest answer (the words of a batch), waited for."""
        assert self._process.stdout is not None
        try:
            if not self._readable(_ANSWER_WAIT):
                raise HelperFailed("the analysis helper did not answer")
            words = _receive(self._process.stdout)
        except (OSError, EOFError, pickle.UnpicklingError, struct.error) as exc:
            self.close()
            raise HelperFailed(f"the analysis helper failed: {exc!r}") from None
        except HelperFailed:
            self.close()
            raise
        if self._started:
            self.outstanding -= 1
            self.answered += 1
        return words

    def close(self) -> None:
        """End the helper: its input closed, it exits; killed if it does not at once, or
        if it has not even started (nothing to wait for)."""
        process = self._process
        if not self._started:
            process.kill()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(analysed: Any, parent: int, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """The helper's side: belong to ``parent``, then answer batches until stdin closes.
    ``analysed`` is :func:`archive.search.analysis.analysed`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it died before the line above took effect
        return
    try:
        analysed("warm up", "en")  # tantivy imported, an analyser built
        _send(stdout, _READY)
        while True:
            texts = _receive(stdin)
            _send(stdout, [(analysed(title, group) if title else "",
                            analysed(body, group) if body else "")
                           for title, body, group in texts])
    except (EOFError, BrokenPipeError):
        return  # the caller is done with it (or gone)
