# orgs search by prefix in any case finds the Department, the 527 line and the centres of social services; a damaged CSV is refused whole with its line named; a do-not-refer entry is shown as such and sorts last until referable again
dovira --db d.db init >/dev/null
dovira --db d.db --lang uk orgs search 'ДЕПАРТ' | awk '{print $1}'; echo "exit $?"
dovira --db d.db --lang en orgs search 'department' | awk '{print $1}'
dovira --db d.db orgs search 527 | awk '{print $1}'
dovira --db d.db orgs search 'цЕнТр соц' | awk '{print $1}'
dovira --db d.db orgs search 'гарм' | awk '{print $1}'
dovira --db d.db orgs export > all.csv; echo "exit $?"
sed '5s/^\([^,]*\),/\1,"unclosed/' all.csv > bad.csv
dovira --db d.db orgs import bad.csv; echo "exit $?"
sed -e 's/^dszn-zoda\(.*\),zaporizkyi /dszn-zoda\1,atlantis /' -e 's/^zp-city-css,[^,]*,/zp-city-css,,/' -e 's/^police-102,/line-527,/' all.csv > bad2.csv
dovira --db d.db orgs import bad2.csv; echo "exit $?"
dovira --db d.db orgs export > after.csv
cmp all.csv after.csv && echo "directory unchanged"
dovira --db d.db orgs import all.csv; echo "exit $?"
dovira --db d.db orgs export | cmp - all.csv && echo "export re-imports to the same directory"
dovira --db d.db orgs do-not-refer line-527; echo "exit $?"
dovira --db d.db orgs show line-527 | grep -i "refer"
dovira --db d.db orgs search 527 | awk '{print $1}'
dovira --db d.db orgs refer-again line-527; echo "exit $?"
dovira --db d.db orgs search 527 | awk '{print $1}'
dovira --db d.db orgs do-not-refer nosuch; echo "exit $?"
