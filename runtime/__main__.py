"""`python -m runtime ARGS`: Rasa's own command line (`rasa ARGS`) with this
assistant's runtime changes installed first."""
import sys

from runtime import install


def main() -> None:
    names = install()
    print(f"runtime changes active: {', '.join(names)}", file=sys.stderr)
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
