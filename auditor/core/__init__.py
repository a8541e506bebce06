"""The core both front doors (CLI and Azure Function) call: collect, analyse, report."""
