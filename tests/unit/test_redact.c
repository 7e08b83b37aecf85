/* Unit tests of redact.c: tables of notes and what must come out of them,
 * check-digit vectors, offsets, and robustness on hostile input. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dovira/redact.h"
#include "tap.h"

typedef struct rcase {
	const char *in;
	const char *want; /* NULL: the text must survive unchanged */
	const char *what;
} rcase;

#define NCASES(t) (sizeof(t) / sizeof((t)[0]))

/* ---- findings of every kind ---------------------------------------- */

static const rcase PHONES[] = {
	{"Тел. +38 (067) 123-45-67", "Тел. [PHONE]", "+38 (067) 123-45-67"},
	{"Номер 067 123 45 67, дзвонити ввечері", "Номер [PHONE], дзвонити ввечері", "067 123 45 67 with spaces"},
	{"телефон 0671234567", "телефон [PHONE]", "0671234567 as one block"},
	{"мобільний +380671234567.", "мобільний [PHONE].", "+380671234567 before a full stop"},
	{"(067)1234567 — це її номер", "[PHONE] — це її номер", "(067)1234567 keeps its bracket in the tag"},
	{"067-123-45-67", "[PHONE]", "067-123-45-67 with dashes"},
	{"+38-067-123-45-67", "[PHONE]", "+38-067-123-45-67 with dashes"},
	{"38 067 123 45 67", "[PHONE]", "38 067 ... without the plus"},
	{"380671234567", "[PHONE]", "380671234567 without the plus"},
	{"067.123.45.67", "[PHONE]", "067.123.45.67 with dots"},
	{"+380 67 123 45 67", "[PHONE]", "+380 67 123 45 67"},
	{"+380 (67) 123-45-67", "[PHONE]", "+380 (67) 123-45-67"},
	{"(067) 123-45-67", "[PHONE]", "(067) 123-45-67"},
	{"(0 67) 123 45 67", "[PHONE]", "(0 67) 123 45 67"},
	{"099 765 43 21", "[PHONE]", "Vodafone 099 765 43 21"},
	{"063-555-12-34", "[PHONE]", "lifecell 063-555-12-34"},
	{"044 234 56 78", "[PHONE]", "Kyiv landline 044 234 56 78"},
	{"(0352) 52 39 00", "[PHONE]", "Ternopil landline with a 4-digit code"},
	{"8 067 123 45 67", "[PHONE]", "old long-distance 8 067 ..."},
	{"8(067)1234567", "[PHONE]", "old long-distance 8(067)1234567"},
	{"067 1234567", "[PHONE]", "067 1234567"},
	{"0671 234 567", "[PHONE]", "0671 234 567"},
	{"067 123 4567", "[PHONE]", "067 123 4567"},
	{"+38 067 123 45 67", "[PHONE]", "+38 067 123 45 67"},
	{"+38\xC2\xA0" "067\xC2\xA0" "123\xC2\xA0" "45\xC2\xA0" "67", "[PHONE]", "no-break spaces between groups"},
	{"067 – 123 – 45 – 67", "[PHONE]", "en dashes with spaces between groups"},
	{"tel:+380501234567", "tel:[PHONE]", "tel: URI"},
	{"Viber: 0931234567; Telegram: @anna", "Viber: [PHONE]; Telegram: [HANDLE]", "Viber number and a Telegram handle"},
	{"067 123 45 67 або 093 765 43 21", "[PHONE] або [PHONE]", "two numbers joined by a word"},
	{"0671234567, 0937654321", "[PHONE], [PHONE]", "two numbers separated by a comma"},
	{"0671234567,0937654321", "[PHONE],[PHONE]", "two numbers separated by a bare comma"},
	{"067 123 45 67 093 765 43 21", "[PHONE] [PHONE]", "two numbers separated by a space only"},
	{"(067 123 45 67)", "([PHONE])", "a number in brackets keeps both brackets"},
	{"12.03.2026 0671234567", "12.03.2026 [PHONE]", "a number after a date"},
	{"о 14:30 дзвонив з 0671234567", "о 14:30 дзвонив з [PHONE]", "a number after a time"},
	{"Call me at +48 512 345 678 tomorrow", "Call me at [PHONE] tomorrow", "Polish +48 512 345 678"},
	{"+49 (0)30 1234567", "[PHONE]", "German +49 (0)30 1234567"},
	{"+1 (212) 555-0147", "[PHONE]", "US +1 (212) 555-0147"},
	{"+44 20 7946 0958", "[PHONE]", "UK +44 20 7946 0958"},
	{"+420 777 123 456", "[PHONE]", "Czech +420 777 123 456"},
	{"+7 (912) 345-67-89", "[PHONE]", "Russian +7 (912) 345-67-89"},
	{"+90 532 123 45 67", "[PHONE]", "Turkish +90 532 123 45 67"},
	{"+971 50 123 4567", "[PHONE]", "UAE +971 50 123 4567"},
	{"+39 333 1234567", "[PHONE]", "Italian +39 333 1234567"},
	{"+48512345678", "[PHONE]", "a foreign number in one block"},
	{"0048 512 345 678", "[PHONE]", "00-prefixed 0048 512 345 678"},
	{"00380671234567", "[PHONE]", "00380671234567"},
	{"роботодавець: +48 512 345 678, 5 разів", "роботодавець: [PHONE], 5 разів", "a count after a Polish number stays"},
	{"+48 512 345 678 2 рази", "[PHONE] 2 рази", "the country's length keeps a trailing count out"},
	{"067 123 45 67 3 рази", "[PHONE] 3 рази", "a trailing count after a UA number stays"},
	{"міський 234-56-78", "міський [PHONE]", "a local number 234-56-78"},
	{"67 123 45 67", "[PHONE]", "a mobile number without its trunk 0"},
	{"Номер:0671234567", "Номер:[PHONE]", "a number glued to a colon"},
	{"№0671234567", "№[PHONE]", "a number glued to the sign №"},
	{"тел0671234567", "тел[PHONE]", "a number glued to a Cyrillic word"},
	{"https://t.me/+380671234567", "[HANDLE]", "a number inside a messenger link goes with the link"},
	{"Her number is (093) 111-22-33.", "Her number is [PHONE].", "English sentence with a bracketed code"},
	{"Мама: 050 111 22 33\nСестра: 066 444 55 66", "Мама: [PHONE]\nСестра: [PHONE]", "two lines, one number each"},
	{"067/123-45-67", "[PHONE]", "a slash after the operator code"},
	{"+380 (067) 123-45-67", "[PHONE]", "the slip +380 (067) with the trunk 0 kept"},
	{"+38 (0) 67 123 45 67", "[PHONE]", "+38 (0) 67 ..."},
	{"067\xE2\x80\x91" "123\xE2\x80\x91" "45\xE2\x80\x91" "67", "[PHONE]", "non-breaking hyphens between groups"},
	{"067\xE2\x88\x92" "123\xE2\x88\x92" "45\xE2\x88\x92" "67", "[PHONE]", "minus signs between groups"},
	{"+44 (0) 20 7946 0958", "[PHONE]", "UK number with (0)"},
	{"00 48 512 345 678", "[PHONE]", "00 and the country code apart"},
	{"+38(067)-123-45-67", "[PHONE]", "a bracket and a dash together"},
	{"0671234567/0937654321", "[PHONE]/[PHONE]", "two numbers joined by a slash"},
	{"(+38) 067 123 45 67", "[PHONE]", "country code in brackets"},
	{"(+380)671234567", "[PHONE]", "(+380) glued to the number"},
	{"0 (67) 123-45-67", "[PHONE]", "trunk 0 before the bracketed code"},
	{"067 12 34 567", "[PHONE]", "unusual grouping 3-2-2-3"},
	{"тел.: 0-67-123-45-67", "тел.: [PHONE]", "dashes after every group"},
	{"067 123 45 67 2026", "[PHONE] 2026", "a year after a number stays"},
	{"у 2 067 123 45 67", "у 2 [PHONE]", "a count before a number stays"},
};

static const rcase EMAILS[] = {
	{"пошта ivan.petrenko@gmail.com", "пошта [EMAIL]", "a dotted local part"},
	{"Email: anna_k-85@ukr.net.", "Email: [EMAIL].", "a full stop after the address stays"},
	{"<olena+work@mail.example.co.uk>", "<[EMAIL]>", "plus tag and a three-label domain"},
	{"марія@приклад.укр", "[EMAIL]", "a Cyrillic address"},
	{"писати на VIKTOR@EXAMPLE.COM", "писати на [EMAIL]", "an upper-case address"},
	{"a@b.co, c.d@e-f.org", "[EMAIL], [EMAIL]", "two addresses in a list"},
	{"0671234567@gmail.com", "[EMAIL]", "a telephone used as a mailbox name is one e-mail"},
	{"(ivan@ex.com)", "([EMAIL])", "an address in brackets"},
};

static const rcase PASSPORTS[] = {
	{"паспорт АБ 123456", "паспорт [PASSPORT]", "booklet with a space"},
	{"паспорт АБ123456", "паспорт [PASSPORT]", "booklet without a space"},
	{"серія та номер: АБ №123456", "серія та номер: [PASSPORT]", "booklet with the sign №"},
	{"КВ № 654321 видано", "[PASSPORT] видано", "booklet with № and spaces"},
	{"ЄІ 123456", "[PASSPORT]", "Ukrainian capitals Є and І"},
	{"закордонний FA123456", "закордонний [PASSPORT]", "foreign passport FA123456"},
	{"passport EK 123456 was taken", "passport [PASSPORT] was taken", "foreign passport with a space, English"},
	{"документи (FT 987654) забрав роботодавець", "документи ([PASSPORT]) забрав роботодавець", "foreign passport in brackets"},
	{"АБ-123456", "[PASSPORT]", "booklet with a dash"},
	{"серія АБ номер 123456", "серія [PASSPORT]", "series and number joined by номер"},
	{"АБ, № 123456", "[PASSPORT]", "series, comma and №"},
	{"EK No. 123456", "[PASSPORT]", "foreign passport with No."},
	{"FA 765 432", "[PASSPORT]", "six digits written 3 + 3"},
	{"ID 987 654 321", "ID [ID]", "ID and a grouped 9-digit number is no 3 + 3 passport"},
	{"паспорт № 123456", "паспорт № [PASSPORT]", "six digits right after паспорт №"},
	{"номер паспорта 654321", "номер паспорта [PASSPORT]", "six digits right after паспорта"},
	{"passport no. 123456", "passport no. [PASSPORT]", "six digits right after passport no."},
};

static const rcase IDS[] = {
	{"ID-картка 123456789", "ID-картка [ID]", "ID card number after ID-картка"},
	{"номер ID картки: 001234567", "номер ID картки: [ID]", "ID card number starting with zeros"},
	{"паспорт у формі ID-картки № 987654321", "паспорт у формі ID-картки № [ID]", "ID card with the sign №"},
	{"ID card 123 456 789", "ID card [ID]", "grouped ID number next to a context word"},
	{"документ 001 234 567", "документ [ID]", "grouped ID number starting with zeros"},
	{"123456789", "[ID]", "a bare 9-digit block is an ID number"},
	{"номер 987654321 записала", "номер [ID] записала", "a 9-digit block in a sentence"},
	{"УНЗР 19900101-01234", "УНЗР [ID]", "the UNZR record number"},
	{"запис № 20011231-00057", "запис № [ID]", "a UNZR after запис №"},
};

static const rcase TAXIDS[] = {
	{"ІПН 1759013776", "ІПН [TAXID]", "RNOKPP after ІПН"},
	{"РНОКПП: 3012345670", "РНОКПП: [TAXID]", "RNOKPP after РНОКПП"},
	{"1759013776", "[TAXID]", "a valid RNOKPP alone"},
	{"tax number 2994119982", "tax number [TAXID]", "RNOKPP in English"},
	{"ІПН 0123456781", "ІПН [TAXID]", "a 0-leading valid RNOKPP next to ІПН"},
	{"податковий номер 0123456781", "податковий номер [TAXID]", "a 0-leading valid RNOKPP next to податковий"},
	{"0123456781", "[PHONE]", "the same 10 digits alone are a telephone"},
	{"ІПН не знає, тел. 0123456781", "ІПН не знає, тел. [PHONE]", "a telephone word nearer than the tax word wins"},
	{"номер 1759013770", NULL, "a wrong check digit without a tax word is not an RNOKPP"},
	{"ІПН 1759013770", "ІПН [TAXID]", "a wrong check digit right after ІПН is still an RNOKPP"},
	{"РНОКПП: 0123456789", "РНОКПП: [TAXID]", "an RNOKPP from 0 right after its word is no telephone"},
};

static const rcase IBANS[] = {
	{"IBAN UA213223130000026007233566001", "IBAN [IBAN]", "the public test UA IBAN"},
	{"рахунок UA21 3223 1300 0002 6007 2335 6600 1.", "рахунок [IBAN].", "UA IBAN in groups of four"},
	{"ua213223130000026007233566001", "[IBAN]", "lower-case ua"},
	{"UA213223130000026007233566002", "UA213223130000026007233566002", "a UA IBAN failing mod 97 is left"},
	{"DE89 3704 0044 0532 0130 00", "[IBAN]", "a German IBAN"},
	{"PL61 1090 1014 0000 0712 1981 2874 PLN", "[IBAN] PLN", "a Polish IBAN before PLN"},
	{"GB82 WEST 1234 5698 7654 32", "[IBAN]", "a British IBAN with letters in the BBAN"},
};

static const rcase CARDS[] = {
	{"картка 4111 1111 1111 1111", "картка [CARD]", "Visa test card in groups"},
	{"4111111111111111", "[CARD]", "Visa test card as one block"},
	{"5500 0000 0000 0004", "[CARD]", "Mastercard test card"},
	{"3782 822463 10005", "[CARD]", "Amex 4-6-5"},
	{"6011-1111-1111-1117", "[CARD]", "Discover with dashes"},
	{"4111 1111 1111 1112", "4111 1111 1111 1112", "a 16-digit number failing Luhn is left"},
	{"5375 4141 0000 0008 — картка ПриватБанку", "[CARD] — картка ПриватБанку", "a card before a dash and words"},
	{"переказала на 4111111111111111.", "переказала на [CARD].", "a card before a full stop"},
	{"4222222222222", "[CARD]", "a 13-digit Visa"},
	{"6011 1111 1111 1111 117", "6011 1111 1111 1111 117", "a 19-digit number failing Luhn is left"},
};

/* ---- text that must survive ---------------------------------------- */

static const rcase KEEP[] = {
	{"28.11.2026", NULL, "date with dots"},
	{"2026-11-28", NULL, "ISO date"},
	{"28/11/2026", NULL, "date with slashes"},
	{"28 листопада 2026", NULL, "date in words"},
	{"з 01.09.2025 по 28.11.2026", NULL, "a date range"},
	{"2026-11-28T14:30:00Z", NULL, "a timestamp"},
	{"14:30", NULL, "time"},
	{"9.30", NULL, "time with a dot"},
	{"з 9:00 до 18:00", NULL, "working hours"},
	{"11 000 грн", NULL, "amount with a space"},
	{"11,000 UAH", NULL, "amount with a comma"},
	{"€1 500", NULL, "euro sign amount"},
	{"1500 євро", NULL, "amount in євро"},
	{"$2,000", NULL, "dollar amount"},
	{"7 689 грн", NULL, "amount 7 689 грн"},
	{"обіцяли 1 500 000 грн", NULL, "a million hryvnias"},
	{"заплатив 123456789 грн", NULL, "nine digits followed by грн"},
	{"борг 2 500 000 000 UAH", NULL, "ten digits in groups followed by UAH"},
	{"зарплата 15000 zł", NULL, "zloty"},
	{"+15 000 000 грн", NULL, "a plus before an amount"},
	{"3 місяці", NULL, "duration in months"},
	{"2 роки", NULL, "duration in years"},
	{"працювала 14 годин на день", NULL, "hours a day"},
	{"45%", NULL, "percentage"},
	{"у 2022 році", NULL, "a year"},
	{"2019-2020", NULL, "a range of years"},
	{"15 осіб", NULL, "a count"},
	{"102", NULL, "police"},
	{"103", NULL, "ambulance"},
	{"112", NULL, "emergency"},
	{"1545", NULL, "government line"},
	{"1547", NULL, "government trafficking line"},
	{"15-84", NULL, "15-84"},
	{"116 123", NULL, "La Strada short number"},
	{"116 111", NULL, "children's line short number"},
	{"527", NULL, "IOM short number"},
	{"0 800 500 335", NULL, "La Strada toll-free"},
	{"0 800 505 501", NULL, "IOM toll-free"},
	{"0800 500 225", NULL, "children's line toll-free"},
	{"0 800 213 103", NULL, "free legal aid"},
	{"0800 503 508", NULL, "toll-free 0800 503 508"},
	{"0 800 331 630", NULL, "toll-free 0 800 331 630"},
	{"0 800 500 202", NULL, "police call centre"},
	{"0-800-500-335", NULL, "toll-free with dashes"},
	{"0800500335", NULL, "toll-free as one block"},
	{"0 (800) 500 335", NULL, "toll-free with 800 in brackets"},
	{"0-800-50-03-35", NULL, "toll-free in pairs"},
	{"+38 0 800 500 335", NULL, "toll-free with +38 and a lone 0"},
	{"116-123", NULL, "short number with a dash"},
	{"1 500,00 грн", NULL, "amount with kopecks"},
	{"20 000-25 000 грн", NULL, "a range of amounts"},
	{"UAH 11000", NULL, "currency code before the amount"},
	{"1234567890 грн", NULL, "ten digits followed by грн"},
	{"09:00-18:00", NULL, "a range of times"},
	{"28.11.26", NULL, "date with a two-digit year"},
	{"28.11.2026р.", NULL, "date glued to р."},
	{"28/11/2026 о 14:30", NULL, "date with slashes and a time"},
	{"індекс 69001", NULL, "postal code"},
	{"ЄДРПОУ 12345678", NULL, "company code of 8 digits"},
	{"строк дії 09/27", NULL, "card expiry"},
	{"4111 **** **** 1111", NULL, "a masked card"},
	{"паспорт забрали, борг 150000", NULL, "six digits far from the passport word"},
	{"+38 067 123 45 6", NULL, "a UA number one digit short"},
	{"+38 0800 500 335", NULL, "toll-free dialled from abroad"},
	{"Порадили 116 123 або 0 800 500 335.", NULL, "two service numbers in a sentence"},
	{"з-за кордону +38 044 284 19 15", NULL, "the 1547 line from abroad is an organisation"},
	{"(+38044) 289 55 57", NULL, "the Ministry of Social Policy coordinator"},
	{"IOM Kyiv +380 44 568 50 15", NULL, "IOM's Kyiv office"},
	{"(+380352) 523952", NULL, "the Ternopil partner of 527"},
	{"в ЄС 250000 українців", NULL, "ЄС before a count is no passport series"},
	{"+38006712345678", NULL, "+380 then eleven digits is nothing"},
	{"7K3M-9Q2P", NULL, "case code"},
	{"ABCD-EF12", NULL, "case code with letters"},
	{"код справи 1234-5678", NULL, "an all-digit case code"},
	{"справа 7K3M-9Q2P, передзвонить", NULL, "a case code in a sentence"},
	{"3.1415926535", NULL, "decimal digits after a point"},
	{"версія 1.2.3", NULL, "version number"},
	{"кімната 12, номер 5", NULL, "short numbers"},
	{"+380671234567890", NULL, "a longer digit string is no telephone"},
	{"06712345678", NULL, "eleven digits from 0 are no telephone"},
	{"abc0671234567", NULL, "digits glued to Latin letters"},
	{"0671234567abc", NULL, "digits followed by Latin letters"},
	{"1-0671234567", NULL, "digits glued by a dash to a number before"},
	{"12345678", NULL, "eight digits"},
	{"12345678901", NULL, "eleven digits"},
	{"2345678901", NULL, "ten digits failing the RNOKPP check"},
	{"123 456 789", NULL, "grouped nine digits without a context word"},
	{"ЗНО 2024", NULL, "three capitals and a year"},
	{"АБВ 123456", NULL, "three capitals are no passport series"},
	{"по 123456", NULL, "a two-letter word before six digits is no series"},
	{"АБ 1234567", NULL, "seven digits after a series"},
	{"АБ 123 4567", NULL, "3 + 4 digits after a series"},
	{"ivan@localhost", NULL, "an address without a dot in the domain"},
	{"ціна @ 5 грн", NULL, "an at sign before a number is no handle"},
	{"e3b0c44298fc1c149afbf4c8996fb924", NULL, "a hex hash"},
	{"", NULL, "empty text"},
	{"Дзвінок 28.11.2026 о 14:30, тривав 12 хв, радили 1547 і 0 800 505 501.", NULL, "a whole note without personal data"},
};

/* ---- helpers ------------------------------------------------------- */

/* ---- issue 9: links, handles, dates of birth, addresses, plates ------ */

static const rcase LINKS[] = {
	{"канал t.me/rabota_pl", "канал [HANDLE]", "a Telegram link without a scheme"},
	{"https://www.instagram.com/anna.k/", "[HANDLE]", "an Instagram profile"},
	{"wa.me/380671234567", "[HANDLE]", "a WhatsApp link with a number"},
	{"https://www.tiktok.com/@kris_eu", "[HANDLE]", "a TikTok profile"},
	{"viber://chat?number=%2B380671234567", "[HANDLE]", "a Viber link"},
	{"акаунт @dubai_jobs_2025.", "акаунт [HANDLE].", "an @handle before a full stop"},
	{"телеграм ivan_k85", "телеграм [HANDLE]", "a handle without @ after a messenger's name"},
	{"нік: anna.k", "нік: [HANDLE]", "a nickname after 'нік:'"},
	{"ivan@ukr.net", "[EMAIL]", "an e-mail is not a handle"},
	{"https://www.olx.ua/d/obyavlenie/job-IDx3.html, далі", "[URL], далі", "an advert's address with a path"},
	{"https://www.dcz.gov.ua/kontakty", NULL, "a government page survives"},
	{"сайт olx.ua і https://work.ua/", NULL, "bare sites survive"},
	{"telegram і viber", NULL, "messengers' names survive"},
};

static const rcase DOBS[] = {
	{"дата народження 12.03.1990", "дата народження [DOB]", "a date after 'дата народження'"},
	{"д.н. 03.07.08", "д.н. [DOB]", "a short year after д.н."},
	{"н. 1985-06-05", "н. [DOB]", "an ISO date after н."},
	{"1992 р.н.", "[DOB] р.н.", "a year before р.н."},
	{"1990 г.р.", "[DOB] г.р.", "a year before г.р."},
	{"народилася у 1988", "народилася у [DOB]", "a year after народилася у"},
	{"born on 3 May 1990", "born on [DOB]", "an English date after born on"},
	{"дата рождения 21.09.1987", "дата рождения [DOB]", "a Russian date of birth"},
	{"дата народження сина: 12 березня 2001 року", "дата народження сина: [DOB] року", "a worded date one word after"},
	{"поїхала 28.11.2025, дзвінок 02.12.2025 о 10:15", NULL, "dates of travel and of the call survive"},
	{"народження дитини планують, квиток на 05.01.2026 коштує 2 000 грн", NULL, "a date far from the word survives"},
};

static const rcase ADDRESSES[] = {
	{"вул. Соборна, 45, кв. 12, м. Запоріжжя", "[ADDRESS], м. Запоріжжя", "street, house and flat"},
	{"просп. Незалежності 8/2", "[ADDRESS]", "an avenue with a house number and a slash"},
	{"пров. Шкільний, буд. 3", "[ADDRESS]", "a lane with буд."},
	{"вул. 8 Березня, 14а", "[ADDRESS]", "a street named after a date, house with a letter"},
	{"ul. Marszałkowska 104", "[ADDRESS]", "a Polish street"},
	{"буд. 7, кв. 12", "[ADDRESS]", "a house and a flat alone"},
	{"кв 40", "[ADDRESS]", "a flat without the full stop"},
	{"ходили на вул. Шевченка, номера не знає", NULL, "a street without a number survives"},
	{"у 1 кв. 2025 року", NULL, "a quarter of a year is no flat"},
	{"кв. 2025", NULL, "a year after кв. is no flat"},
};

static const rcase PLATES[] = {
	{"номер AP 4521 KE", "номер [PLATE]", "Latin letters with spaces"},
	{"авто АА 7777 ВВ", "авто [PLATE]", "Cyrillic letters"},
	{"ВС1234АН", "[PLATE]", "no spaces"},
	{"AB-1234-CE", "[PLATE]", "dashes"},
	{"рейс 1234 Запоріжжя", NULL, "a bus route survives"},
	{"ЄС 2025 року", NULL, "an abbreviation and a year survive"},
};

static const rcase LOWER_SERIES[] = {
	{"аб 123456", "[PASSPORT]", "a lower-case Cyrillic series"},
	{"fa123456", "[PASSPORT]", "a lower-case Latin series"},
	{"паспорт на 123456", "паспорт [PASSPORT]", "a common word as a series right after паспорт"},
	{"паспорт 12345678", "паспорт [PASSPORT]", "eight digits right after паспорт"},
	{"до 100000 і по 150000", NULL, "до and по before numbers are no series"},
};

static const rcase NAMES[] = {
	{"Мене звати Олена", "Мене звати [NAME]", "a capitalised word after звати"},
	{"Сестру звуть Тетяна Коваль, їй 24", "Сестру звуть [NAME], їй 24", "a name and a surname after звуть"},
	{"Її ім'я Мар'яна, прізвище Ткачук.", "Її ім'я [NAME], прізвище [NAME].", "after ім'я and прізвище"},
	{"Її ім’я Жозефіна", "Її ім’я [NAME]", "a name not in the list after ім’я (typographic apostrophe)"},
	{"Recruiter's name is Olha", "Recruiter's name is [NAME]", "after 'name is'"},
	{"Company name: Eurowork", NULL, "a company's name survives"},
	{"назвався Сергієм", "назвався [NAME]", "a given name in the instrumental case"},
	{"мати Наталії", "мати [NAME]", "a given name in the genitive case"},
	{"з Ользі", "з [NAME]", "Ольга in the locative, with г becoming з"},
	{"с Игорем нет связи", "с [NAME] нет связи", "a Russian name in the instrumental case"},
	{"Роботодавець Іванов Сергій Петрович погрожує", "Роботодавець [NAME] погрожує", "surname, name and patronymic"},
	{"депутат Петренко обіцяв", "депутат [NAME] обіцяв", "a surname by its ending"},
	{"на Шевченка живуть", NULL, "a street named after a surname survives"},
	{"ГО «Надія» і «Віра»", NULL, "names inside «» are organisations'"},
	{"поїхала до Софії", NULL, "Sofia the city survives"},
	{"дочка Софія", "дочка [NAME]", "Sofia the daughter is a name"},
	{"у Запоріжжі, Мелітополі та Варшаві; в Травні і Грудні", NULL, "cities and months survive"},
	{"оксана", NULL, "a name in small letters is left (it is not written so)"},
	/* Common surnames that are also words (data/surnames.txt). */
	{"Хазяїн — пан Мельник, живе поруч", "Хазяїн — пан [NAME], живе поруч", "a surname after пан"},
	{"Передайте пані Коваль", "Передайте пані [NAME]", "after пані, a surname that is a word (коваль)"},
	{"Landlord Mr Nowak kept the passport", "Landlord Mr [NAME] kept the passport", "after Mr"},
	{"Брат каже, що Олійник погрожує.", "Брат каже, що [NAME] погрожує.", "a listed surname inside a sentence"},
	{"Мельник Олена дзвонила вчора.", "[NAME] дзвонила вчора.", "a listed surname before a given name, at a sentence's start"},
	{"Гроші віддала Мельникові з Вінниці", "Гроші віддала [NAME] з Вінниці", "a listed surname in another case"},
	{"Батько працює мельником, а дядько ковалем.", NULL, "the same words as trades in small letters survive"},
	{"Коваль кує, поки гаряче.", NULL, "a listed surname alone at a sentence's start is left (it may be the word)"},
};

static void run_table(const rcase *t, size_t n, const char *section)
{
	for (size_t k = 0; k < n; k++) {
		redact_hit *h = NULL;
		size_t nh = 0;
		char *got = redact_apply(t[k].in, &h, &nh);
		const char *want = t[k].want ? t[k].want : t[k].in;
		is_str(got, want, "%s: %s", section, t[k].what);
		if (!t[k].want)
			is_int(nh, 0, "%s: %s gives no finding", section, t[k].what);
		free(got);
		free(h);
	}
}

/* The check digit of a 9-digit prefix, computed here independently. */
static int rnokpp_check(const char *nine)
{
	static const int w[9] = { -1, 5, 7, 9, 4, 6, 10, 5, 7 };
	long sum = 0;
	for (int k = 0; k < 9; k++)
		sum += w[k] * (nine[k] - '0');
	long r = sum % 11;
	if (r < 0)
		r += 11;
	return (int)(r % 10);
}

static void test_rnokpp(void)
{
	static const char *const prefixes[] = {
		"175901377", "301234567", "299411998", "312456789", "900000000",
		"987654321", "345678901", "000000001", "111111111", "246813579",
	};
	for (size_t k = 0; k < NCASES(prefixes); k++) {
		char num[11], note[64], want[64];
		memcpy(num, prefixes[k], 9);
		int c = rnokpp_check(prefixes[k]);
		num[9] = (char)('0' + c), num[10] = '\0';
		ok(redact_rnokpp_ok(num), "RNOKPP %s with its computed check digit validates", num);
		num[9] = (char)('0' + (c + 1) % 10);
		ok(!redact_rnokpp_ok(num), "RNOKPP %s with a wrong check digit fails", num);
		num[9] = (char)('0' + c);
		snprintf(note, sizeof note, "РНОКПП %s", num);
		snprintf(want, sizeof want, "РНОКПП [TAXID]");
		char *got = redact_apply(note, NULL, NULL);
		is_str(got, want, "a valid RNOKPP %s is tagged in a note", num);
		free(got);
	}
	ok(redact_rnokpp_ok("9000000000") == (rnokpp_check("900000000") == 0),
	   "the negative weight of a 9 in front is reduced to a positive remainder");
	ok(!redact_rnokpp_ok("175901377"), "nine digits are no RNOKPP");
	ok(!redact_rnokpp_ok("17590137760"), "eleven digits are no RNOKPP");
	ok(!redact_rnokpp_ok("17590a3776"), "a letter makes it no RNOKPP");
}

/* Build a valid UA IBAN from its 25 digits after the check number
 * (6 of bank code, 19 of account). */
static void make_ua_iban(const char *tail25, char out[40])
{
	unsigned rem = 0;
	char buf[40];
	snprintf(buf, sizeof buf, "%s301000", tail25); /* "UA00" moved to the end */
	for (const char *p = buf; *p; p++)
		rem = (rem * 10 + (unsigned)(*p - '0')) % 97;
	snprintf(out, 40, "UA%02u%s", 98 - rem, tail25);
}

static void test_iban(void)
{
	ok(redact_iban_ok("UA213223130000026007233566001"), "the public test UA IBAN validates");
	ok(!redact_iban_ok("UA213223130000026007233566002"), "a changed last digit fails mod 97");
	ok(!redact_iban_ok("UA123223130000026007233566001"), "a changed check number fails");
	ok(!redact_iban_ok("UA21322313000002600723356600"), "a UA IBAN one digit short fails");
	ok(!redact_iban_ok("UA21322313000002600723356600A"), "a letter in a UA IBAN fails");
	ok(redact_iban_ok("ua213223130000026007233566001"), "lower-case ua validates");
	ok(redact_iban_ok("DE89370400440532013000"), "a German IBAN validates");
	ok(redact_iban_ok("GB82WEST12345698765432"), "a British IBAN with letters validates");
	ok(!redact_iban_ok("XX89370400440532013000"), "an unknown country fails");
	ok(!redact_iban_ok(""), "an empty string fails");
	static const char *const tails[] = {
		"305299000002600123456789", "322001000002620012345678", "300528000002600000000001",
	};
	for (size_t k = 0; k < NCASES(tails); k++) {
		char tail[32], iban[40], note[80];
		snprintf(tail, sizeof tail, "%s0", tails[k]);
		make_ua_iban(tail, iban);
		ok(redact_iban_ok(iban), "generated IBAN %s validates", iban);
		snprintf(note, sizeof note, "на рахунок %s", iban);
		char *got = redact_apply(note, NULL, NULL);
		is_str(got, "на рахунок [IBAN]", "generated IBAN %s is tagged in a note", iban);
		free(got);
	}
}

static void test_luhn(void)
{
	static const char *const good[] = {
		"4111111111111111", "5500000000000004", "378282246310005",
		"6011111111111117", "4012888888881881", "5105105105105100",
		"4222222222222", "3530111333300000", "79927398713",
	};
	for (size_t k = 0; k < NCASES(good); k++) {
		char bad[24];
		ok(redact_luhn_ok(good[k]), "Luhn accepts %s", good[k]);
		snprintf(bad, sizeof bad, "%s", good[k]);
		size_t n = strlen(bad);
		bad[n - 1] = (char)('0' + (bad[n - 1] - '0' + 1) % 10);
		ok(!redact_luhn_ok(bad), "Luhn refuses %s", bad);
	}
	ok(!redact_luhn_ok(""), "Luhn refuses an empty string");
	ok(!redact_luhn_ok("0"), "Luhn refuses a single digit");
	ok(!redact_luhn_ok("4111 1111"), "Luhn refuses spaces");
}

/* The text of finding k of in, for offset checks. */
static void expect_span(const char *in, size_t k, redact_kind kind, const char *span, const char *what)
{
	redact_hit *h = NULL;
	size_t n = redact_find(in, &h);
	const char *p = strstr(in, span);
	ok(n > k && p && h[k].kind == kind && h[k].start == (size_t)(p - in) &&
		   h[k].end == (size_t)(p - in) + strlen(span),
	   "offsets: %s", what);
	free(h);
}

static void test_offsets(void)
{
	expect_span("Тел. 0671234567", 0, REDACT_PHONE, "0671234567", "byte offsets after Cyrillic text");
	expect_span("x +38 (067) 123-45-67 y", 0, REDACT_PHONE, "+38 (067) 123-45-67", "a telephone starts at its plus");
	expect_span("(067) 123-45-67", 0, REDACT_PHONE, "(067) 123-45-67", "a bracketed code starts at the bracket");
	expect_span("(0671234567)", 0, REDACT_PHONE, "0671234567", "an enclosing bracket is not part of the finding");
	expect_span("a@b.co і ІПН 1759013776", 1, REDACT_TAXID, "1759013776", "the second finding is the RNOKPP");
	expect_span("...ivan@ex.com", 0, REDACT_EMAIL, "ivan@ex.com", "leading dots are not part of an address");
	expect_span("паспорт АБ №123456.", 0, REDACT_PASSPORT, "АБ №123456", "a passport ends before the full stop");

	redact_hit *h = NULL;
	const char *in = "0671234567 ivan@ex.com АБ 123456 123456789 1759013776 "
			 "UA213223130000026007233566001 4111111111111111";
	size_t n = redact_find(in, &h);
	is_int(n, 7, "seven findings of seven kinds");
	int sorted = 1;
	for (size_t k = 0; k < n; k++) {
		if (h[k].kind != (redact_kind)(k == 0 ? REDACT_PHONE : k == 1 ? REDACT_EMAIL : k == 2 ? REDACT_PASSPORT : k == 3 ? REDACT_ID : k == 4 ? REDACT_TAXID : k == 5 ? REDACT_IBAN : REDACT_CARD))
			sorted = 0;
		if (k > 0 && h[k].start < h[k - 1].end)
			sorted = 0;
	}
	ok(sorted, "findings are sorted, of the expected kinds and do not overlap");
	free(h);

	h = (redact_hit *)1;
	is_int(redact_find("нічого особистого", &h), 0, "no finding in plain text");
	ok(h == NULL, "hits is NULL when there are no findings");
}

static void test_apply(void)
{
	redact_hit *h = NULL;
	size_t n = 99;
	char *got = redact_apply("a 0671234567 b", &h, &n);
	is_str(got, "a [PHONE] b", "redact_apply replaces the finding by its tag");
	is_int(n, 1, "redact_apply reports one finding");
	ok(h && h[0].start == 2 && h[0].end == 12, "redact_apply's offsets refer to the original text");
	free(got);
	free(h);
	got = redact_apply("", NULL, NULL);
	is_str(got, "", "redact_apply of an empty text is an empty string");
	free(got);
	got = redact_apply("0671234567", NULL, &n);
	is_str(got, "[PHONE]", "redact_apply works with hits NULL");
	free(got);

	for (int k = 0; k < REDACT_NKINDS; k++)
		ok(redact_tag((redact_kind)k)[0] == '[' && redact_kind_name((redact_kind)k)[0] != '\0',
		   "kind %d has a tag and a name", k);
	is_str(redact_tag(REDACT_TAXID), "[TAXID]", "the RNOKPP tag is [TAXID]");
	is_str(redact_kind_name(REDACT_IBAN), "iban", "the IBAN kind's name is iban");
}

/* ---- robustness ---------------------------------------------------- */

/* Findings lie inside the text, sorted, not overlapping, not empty. */
static int hits_sane(const redact_hit *h, size_t n, size_t len)
{
	for (size_t k = 0; k < n; k++) {
		if (h[k].start >= h[k].end || h[k].end > len || (unsigned)h[k].kind >= REDACT_NKINDS)
			return 0;
		if (k > 0 && h[k].start < h[k - 1].end)
			return 0;
	}
	return 1;
}

static void test_hostile(void)
{
	const size_t MB = 1 << 20;
	char *buf = malloc(MB + 1);
	redact_hit *h = NULL;
	size_t n;

	unsigned seed = 12345;
	for (size_t k = 0; k < MB; k++) {
		seed = seed * 1103515245u + 12345u;
		buf[k] = (char)((seed >> 16) % 255 + 1);
	}
	buf[MB] = '\0';
	n = redact_find(buf, &h);
	ok(hits_sane(h, n, MB), "1 MB of random bytes gives sane findings");
	free(h);

	static const char alphabet[] = "0123456789 +-().@АБUA \xd0\xff\xc2\xa0";
	for (size_t k = 0; k < MB; k++) {
		seed = seed * 1103515245u + 12345u;
		buf[k] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
	}
	n = redact_find(buf, &h);
	ok(hits_sane(h, n, MB), "1 MB of digits, separators and broken UTF-8 gives sane findings");
	free(h);

	memset(buf, '7', MB);
	is_int(redact_find(buf, &h), 0, "1 MB of one digit run has no finding");
	free(h);

	for (size_t k = 0; k < MB; k++)
		buf[k] = (k % 2) ? ' ' : (char)('0' + k % 10);
	n = redact_find(buf, &h);
	ok(hits_sane(h, n, MB), "1 MB of spaced single digits gives sane findings");
	free(h);

	for (size_t k = 0; k + 11 <= MB; k += 11)
		memcpy(buf + k, "0671234567 ", 11);
	buf[MB - MB % 11] = '\0';
	is_int(redact_find(buf, &h), (long long)(MB / 11), "1 MB of telephones finds every one");
	free(h);
	free(buf);
}

static void test_bytes(void)
{
	redact_hit *h = NULL;
	size_t n = redact_find_n("a\0 0671234567", 13, &h);
	ok(n == 1 && h[0].start == 3 && h[0].end == 13, "redact_find_n looks past a NUL byte");
	free(h);
	n = redact_find_n("ivan@ex.com", 8, &h);
	is_int(n, 0, "redact_find_n never reads past len (the address is cut)");
	free(h);

	char *got = redact_apply("\xff\xfe 0671234567 \xd0", NULL, NULL);
	is_str(got, "\xff\xfe [PHONE] \xd0", "invalid UTF-8 around a telephone is kept byte for byte");
	free(got);
	got = redact_apply("\xd0\x90\xd0", NULL, NULL);
	is_str(got, "\xd0\x90\xd0", "a cut-off Cyrillic letter at the end is harmless");
	free(got);
	got = redact_apply("x@", NULL, NULL);
	is_str(got, "x@", "an @ at the very end is harmless");
	free(got);
	got = redact_apply("+", NULL, NULL);
	is_str(got, "+", "a lone plus is harmless");
	free(got);
	got = redact_apply("АБ 12345", NULL, NULL);
	is_str(got, "АБ 12345", "a passport cut short by the end of text is no passport");
	free(got);
	got = redact_apply("UA2132231300000260072335660", NULL, NULL);
	is_str(got, "UA2132231300000260072335660", "an IBAN cut short by the end is no IBAN");
	free(got);
}

/* ---- possible names for the summary --------------------------------- */

static void test_candidates(void)
{
	const char *notes = "Дзвонила мати. Сусід Грицай бачив [NAME] у Варшаві в Травні. «Світанок» допоміг.";
	redact_hit *h;
	size_t n = redact_name_candidates(notes, &h);
	ok(n == 1 && strncmp(notes + h[0].start, "Грицай", h[0].end - h[0].start) == 0 && h[0].kind == REDACT_NAME,
	   "only the capitalised word that may be a name is offered (not a sentence's first word, a city, a month, a tag or «»)");
	char *r = n ? redact_replace(notes, h[0].start, h[0].end, REDACT_NAME) : NULL;
	is_str(r, "Дзвонила мати. Сусід [NAME] бачив [NAME] у Варшаві в Травні. «Світанок» допоміг.",
	       "redact_replace puts the tag in place of the word");
	free(r);
	free(h);
	const char *more = "Жила біля Мелітопольського району, Токмацька міська рада знає. Сусід Ковальський бачив.";
	n = redact_name_candidates(more, &h);
	ok(n == 1 && strncmp(more + h[0].start, "Ковальський", h[0].end - h[0].start) == 0,
	   "a place before 'району' or 'рада' is not offered, a surname is");
	free(h);
	char *same = redact_replace("abc", 2, 9, REDACT_NAME);
	is_str(same, "abc", "a range outside the text changes nothing");
	free(same);
}

int main(void)
{
	run_table(PHONES, NCASES(PHONES), "phone");
	run_table(EMAILS, NCASES(EMAILS), "email");
	run_table(PASSPORTS, NCASES(PASSPORTS), "passport");
	run_table(IDS, NCASES(IDS), "id");
	run_table(TAXIDS, NCASES(TAXIDS), "taxid");
	run_table(IBANS, NCASES(IBANS), "iban");
	run_table(CARDS, NCASES(CARDS), "card");
	run_table(KEEP, NCASES(KEEP), "keep");
	run_table(LINKS, NCASES(LINKS), "link");
	run_table(DOBS, NCASES(DOBS), "dob");
	run_table(ADDRESSES, NCASES(ADDRESSES), "address");
	run_table(PLATES, NCASES(PLATES), "plate");
	run_table(LOWER_SERIES, NCASES(LOWER_SERIES), "series");
	run_table(NAMES, NCASES(NAMES), "name");
	test_candidates();
	test_rnokpp();
	test_iban();
	test_luhn();
	test_offsets();
	test_apply();
	test_hostile();
	test_bytes();
	return tap_done();
}
