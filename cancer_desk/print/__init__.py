"""Printed documents (PDF): Persian text shaping, fonts, one module per document.

Import the modules (``from cancer_desk.print import form1``), never the package as
``print``: it would shadow the builtin.
"""
