# --version names the program, the SQLite library and the journal mode
dovira --version | sed "s/SQLite [0-9][0-9.]*/SQLite X.Y.Z/"
echo "exit $?"
