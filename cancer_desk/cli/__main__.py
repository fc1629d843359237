import sys

from cancer_desk.cli import main

sys.exit(main())
