"""Seconds the text scanners take on adversarial input, before and after hardening.

    .venv/bin/python bench/adversarial_input.py [--old-privacy FILE]

Times ``agent_bridge.services.privacy.public_data`` and the search analyzer (text analysis,
compound splitting, similar-question terms) on 100,000-character strings built to make
backtracking patterns and per-cut stemming blow up. ``--old-privacy`` loads another
version of agent_bridge/services/privacy.py (e.g. ``git show f9ab7f7:agent_bridge/services/privacy.py``)
and times it on shorter strings, since the old patterns take minutes. Figures are
recorded in bench/RESULTS.md; tests/abuse/test_redos.py checks the same bounds by
counting, without timing.
"""
import argparse
import importlib.util
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

N = 100_000
CASES = {
    "word run": lambda n: "T" * n,
    "keyword + spaces": lambda n: "kd" + " " * n,
    "digits + spaces": lambda n: "1 " * (n // 2),
    "a@ repeated": lambda n: "a@" * (n // 2),
    "local part run": lambda n: "a." * (n // 2),
}


def timed(fn, *args):
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--old-privacy", help="path of an older agent_bridge/services/privacy.py")
    parser.add_argument("--old-length", type=int, default=2_000)
    args = parser.parse_args()
    from agent_bridge.services import privacy
    from search.engine import analysis
    print(f"public_data on {N:,} characters (current):")
    for name, build in CASES.items():
        print(f"  {name:18} {timed(privacy.public_data, build(N)):8.3f} s")
    if args.old_privacy:
        spec = importlib.util.spec_from_file_location("agent_bridge._old_privacy",
                                                      args.old_privacy)
        old = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(old)
        print(f"public_data on {args.old_length:,} characters (old, --old-privacy):")
        for name, build in CASES.items():
            print(f"  {name:18} {timed(old.public_data, build(args.old_length)):8.3f} s")
    word = "a" * 49_999
    print("search analysis of one 49,999-letter word:")
    print(f"  analyzer           {timed(lambda: list(analysis.text_analyzer()(word))):8.3f} s")
    print(f"  split_compound     {timed(analysis.split_compound, word, lambda s: True):8.3f} s")
    print(f"  query terms        {timed(analysis.terms, word):8.3f} s")


if __name__ == "__main__":
    main()
