"""`python -m tools.sample_catalogue [--check]`: writes app/data/sample_catalogue.json and
app/data/templates/*.docx, or checks that the committed files match the generator."""

import argparse
import sys

from tools.sample_catalogue.build import ROOT, check, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.sample_catalogue", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run `python -m tools.sample_catalogue` and commit the result", file=sys.stderr)
        return 1 if problems else 0
    for path in write():
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
