# init creates a database and makes the caller its administrator; a second init refuses
dovira --db ./dovira.db init; echo "exit $?"
dovira --db ./dovira.db init; echo "exit $?"
DOVIRA_DB=./env.db dovira init; echo "exit $?"
dovira init; echo "exit $?"
ls -d .local/share/dovira/dovira.db
