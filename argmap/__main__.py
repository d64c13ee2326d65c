from argmap.cli import main

# The same completion variable as the `argmap` command (click would derive one from "python -m argmap").
main(complete_var="_ARGMAP_COMPLETE")
