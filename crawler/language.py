"""Offline language identification for pages whose markup does not declare one."""

from __future__ import annotations

import py3langid

# Below this many characters the guess is too often wrong to be worth recording.
MIN_CHARS = 200


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (``"en"``), or None for short texts.

    py3langid ships its model in the package, so this never touches the network.
    """
    if len(text) < MIN_CHARS:
        return None
    language, _score = py3langid.classify(text)
    return language or None
