"""`python -m runtime ARGS`: Rasa's own command line (`rasa ARGS`) with this
assistant's runtime changes installed first."""
import builtins
import re
import sys
import warnings


def keep_warning_options_first() -> None:
    """Sanic's import adds filterwarnings("once", DeprecationWarning) ahead of
    the PYTHONWARNINGS filters (scripts/quiet_warnings.sh), which would then
    never apply: they are put back in front, in their order."""
    import sanic  # noqa: F401  (its filter first)

    for option in sys.warnoptions:
        action, message, category, module = (option.split(":") + [""] * 4)[:4]
        category_class = getattr(builtins, category, None)
        if action != "ignore" or not (isinstance(category_class, type) and issubclass(category_class, Warning)):
            continue  # only the ignore filters of built-in categories that the start scripts set
        warnings.filterwarnings("ignore", message=re.escape(message), category=category_class,
                                module=re.escape(module) + r"\Z" if module else "")


def main() -> None:
    keep_warning_options_first()
    from runtime import install

    names = install()
    print(f"runtime changes active: {', '.join(names)}", file=sys.stderr)
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
