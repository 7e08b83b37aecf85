# report: the list of tables, one table at each level and in each format over known synthetic calls, and the errors a person can make
dovira --db d.db init >/dev/null
"${BUILDDIR:-.}/tests/report/mkcalls" d.db "$SRCDIR/data/intake.script" 80 3 1790812800 92
dovira --db d.db report list; echo "exit $?"
dovira --db d.db report follow-ups --level internal; echo "exit $?"
dovira --db d.db report topics --period 2026-Q4 --level internal; echo "exit $?"
dovira --db d.db report topics --period 2026-Q4 --level department; echo "exit $?"
dovira --db d.db report geography --period 2026-Q4 --level public; echo "exit $?"
dovira --db d.db --lang uk report age-gender --from 2026-10-01 --to 2026-10-31 --format csv | head -c 400 | od -An -c | head -3
dovira --db d.db report volume --period 2026 --format json --office north; echo "exit $?"
dovira --db d.db report geography --period 2026-11 --level public; echo "exit $?"
dovira --db d.db report topics --period 2026-13; echo "exit $?"
dovira --db d.db report topics --from 2026-10-01; echo "exit $?"
dovira --db d.db report topics --from 2026-11-31 --to 2026-12-01; echo "exit $?"
dovira --db d.db report topics --level secret; echo "exit $?"
dovira --db d.db report countries; echo "exit $?"
dovira --db d.db report topics volume; echo "exit $?"
dovira --db d.db retention --dry-run; echo "exit $?"
dovira --db d.db retention; echo "exit $?"
dovira --db d.db retention; echo "exit $?"
dovira --db d.db check >/dev/null; echo "check exit $?"
