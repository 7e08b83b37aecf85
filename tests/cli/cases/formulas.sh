# Files that travel: export neutralises formula cells, import refuses them and invalid UTF-8 in any column
dovira --db d.db init >/dev/null
echo "== text starting with = + - @ is refused; with an apostrophe it is taken, and exported with one"
printf 'id,name_uk,name_en,kind,services,areas,source,phones,hours,notes_en\nf1,Назва,Name,state,status,all,test,+380 44 123 45 67,-9 to 18,=1+2\n' >in.csv
dovira --db d.db orgs import in.csv; echo "status $?"
printf 'id,name_uk,name_en,kind,services,areas,source,phones,hours,notes_en\nf1,Назва,Name,state,status,all,test,+380 44 123 45 67,"'"'"'-9 to 18","'"'"'=1+2"\n' >in.csv
dovira --db d.db orgs import in.csv; echo "status $?"
dovira --db d.db orgs export --format csv | grep '^f1,'
echo "== the export imports back unchanged"
dovira --db d.db orgs export --format csv >out.csv
dovira --db d.db orgs import out.csv; echo "status $?"
echo "== a formula in any column is refused, with its line"
printf 'id,name_uk,name_en,kind,services,areas,source\nf2,Назва,@SUM(A1),state,status,all,test\nf3,=HYPERLINK("http://x"),Name,state,status,all,test\n' >bad.csv
dovira --db d.db orgs import bad.csv; echo "status $?"
echo "== invalid UTF-8 is refused with its line, even in a column the import ignores"
printf 'id,name_uk,name_en,kind,services,areas,source,updated_at\nf4,Назва,Name,state,status,all,test,\303\050\n' >enc.csv
dovira --db d.db orgs import enc.csv; echo "status $?"
