import sys

from navoppfolging.cli import main

sys.exit(main())
