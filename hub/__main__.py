"""`python -m hub` runs the `portalhub` command line."""

from hub.cli import main

if __name__ == "__main__":
    main()
