# script try shows the steps, the risk with its rules and the referrals checked against the directory: an emergency abroad gets 112 and never 102, a child in exploitation is likely with the police and the children's service named, a job offer stays possible; bad answers are refused
dovira --db d.db init >/dev/null
dovira --db d.db script try "$SRCDIR/data/intake.script" --answer topic=trafficking --answer danger_now=yes \
	--answer where_now=abroad --answer country=PL; echo "exit $?"
dovira --db d.db script try "$SRCDIR/data/intake.script" -a topic=abroad-now -a danger_now=yes -a where_now=abroad \
	-a country=AE -a age_band=9-17 -a exploitation=labour --format json; echo "exit $?"
dovira --db d.db script try "$SRCDIR/data/intake.script" -a topic=offer \
	-a red_flags=fee,tourist-visa,unlisted,originals,no-contract,too-good,pay-tricks,social-only -a money_paid=yes; echo "exit $?"
dovira --db d.db orgs do-not-refer line-527 >/dev/null
dovira --db d.db script try "$SRCDIR/data/intake.script" -a topic=missing | sed -n '/^Recommended/,$p'; echo "exit $?"
dovira script try "$SRCDIR/data/intake.script" -a topic=consult -a consult_purpose=study -a age_band=9-17 | sed -n '/^Risk/,$p'
dovira script try "$SRCDIR/data/intake.script" -a topic=bogus; echo "exit $?"
dovira script try "$SRCDIR/data/intake.script" -a nostep=1; echo "exit $?"
dovira script try "$SRCDIR/data/intake.script" -a topic; echo "exit $?"
dovira script try "$SRCDIR/data/intake.script" --format xml; echo "exit $?"
dovira script try; echo "exit $?"
