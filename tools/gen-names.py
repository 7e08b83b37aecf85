#!/usr/bin/python3
"""gen-names.py: write data/names.txt, the given names the redactor
recognises, each in every grammatical case.

Source: the given names below were written for dovira by its developers
from general knowledge of the names most common in Ukraine (Ukrainian
and Russian spellings, and their usual Latin transliterations); they are
not copied from any register. The case forms are produced by the
declension rules of Ukrainian and Russian grammar for each ending
(singular: nominative, genitive, dative, accusative, instrumental,
locative, vocative), with the exceptions written out by hand. Names that
are also common words or places and are written capitalised in notes
(Слава, Влада, Лука, Мілана, Ніка) are left out.

Run: tools/gen-names.py > data/names.txt
"""

UK_M = """Іван Богдан Тарас Остап Назар Максим Денис Роман Вадим Руслан Антон
Євген Олександр Володимир Віктор Артем Степан Владислав Станіслав Ярослав
Мирослав Ростислав Святослав В'ячеслав Валентин Едуард Костянтин Тимур Давид
Марк Артур Гліб Борис Захар Леонід Юліан Арсен Олег Лев Ілля Назарій Євгеній
Андрій Сергій Олексій Юрій Віталій Анатолій Валерій Геннадій Григорій Матвій
Тимофій Аркадій Арсеній Дмитро Петро Павло Михайло Данило Кирило Марко Микола
Микита Василь Ігор Федір Семен Антоній Орест Любомир Зіновій Ярема Всеволод
Георгій Юрко Сашко Вова Вася Петя Коля Діма Толя Женя Саша Славко
Саня Юра Віталік Толік Славік Владік Вітя Міша Гриша Паша Рома Костя Ваня
Федя Льоша Сергійко Андрійко Назарко Тарасик Максим Джон Майкл Томаш Марек
Мехмет Ахмед Мустафа Іванко Петрик Миколка Данилко Юрчик Вовчик Ромчик
Ростик Дмитрик Богданчик Олежик Ігорчик Сашуня Стас Макс Артемко
Тимко Остапко Олесь Ярик Валік Вадік Русик Едик Жора Гоша Льова Сеня""".split()

UK_F = """Оксана Олена Ольга Ірина Наталія Наталя Тетяна Світлана Юлія Марія
Катерина Анастасія Дарія Дар'я Вікторія Аліна Анна Ганна Галина Людмила
Валентина Надія Лариса Інна Алла Зоя Ніна Тамара Поліна Софія Яна Діана
Христина Кристина Марина Лілія Віра Любов Валерія Вероніка Карина Ангеліна
Олександра Євгенія Олеся Леся Уляна Злата Мар'яна Сніжана Ілона Лідія Раїса
Антоніна Маргарита Жанна Кіра Єва Ліза Єлизавета Богдана Дарина Мирослава
Ярослава Соломія Василина Оля Таня Галя Катя Наташа Маша Даша Іра Люба Віка
Настя Юля Ксенія Емілія Вікторина Стефанія Адріана Аріна Евеліна Марта
Аня Люда Валя Світа Ната Соня Христя Ксюша Ліля Ліна Лєна Свєта Кейт Агнєшка
Катажина Магдалена Ярина Зоряна Орися Роксолана Устина Тереза Божена Одарка
Параска Килина Мілена Арина Варвара Василиса Віолета Есенія Тая Таїсія
Оленка Іринка Наталка Оксанка Галинка Марійка Марічка Ганнуся Катруся
Надійка Софійка Олечка Танюша Юлька Настуся Ірочка Світланка Людочка
Валюша Любочка Дарка Ганя Маруся Ліда""".split()

RU_M = """Александр Алексей Сергей Андрей Дмитрий Владимир Виктор Николай Юрий
Василий Пётр Петр Павел Михаил Максим Игорь Олег Роман Денис Артём Артем
Виталий Анатолий Валерий Евгений Руслан Вадим Степан Ярослав Владислав
Константин Борис Станислав Эдуард Геннадий Григорий Леонид Фёдор Федор Кирилл
Даниил Матвей Тимофей Илья Никита Антон Иван Тарас Назар Вячеслав Аркадий
Валентин Семён Семен Георгий Глеб Тимур Давид Марк Артур Арсений""".split()

RU_F = """Наталья Татьяна Светлана Юлия Елена Ирина Мария Екатерина Анастасия
Дарья Полина Кристина Марина Людмила Галина Лариса Валентина Надежда Любовь
Вера Анна Ольга Оксана Виктория Алина Ксения Софья Елизавета Евгения
Александра Валерия Вероника Диана Яна Инна Алла Жанна Нина Тамара Зоя Раиса
Лидия Маргарита Антонина Ангелина Карина Олеся Лилия Снежана""".split()

# Short names in their Russian forms (Саше, Наташей, Лёши), declined as the
# women's names of the same ending are, whoever bears them.
RU_SHORT = """Саша Наташа Маша Даша Миша Гриша Паша Лёша Алёша Лена Света Ира Люба
Вика Ксюша Люда Таня Оля Галя Катя Настя Юля Петя Коля Дима Вова Женя Юра Толя
Костя Ваня Федя Серёжа""".split()

LATIN = """Ivan Oksana Olena Olha Olga Iryna Irina Natalia Nataliia Natalya
Tetiana Tatiana Tatyana Svitlana Svetlana Yulia Yuliia Julia Anna Maria Mariia
Kateryna Ekaterina Viktoria Viktoriia Victoria Anastasia Anastasiia Daria
Dariia Alina Oleksandr Alexander Aleksandr Oleksii Oleksiy Alexey Alexei
Andrii Andriy Andrey Andrei Serhii Serhiy Sergey Sergei Sergiy Dmytro Dmitry
Dmitriy Volodymyr Vladimir Viktor Victor Mykola Nikolai Nikolay Yurii Yuriy
Yuri Vasyl Vasily Petro Pavlo Mykhailo Mykhaylo Mikhail Maksym Maxim Bohdan
Taras Ihor Igor Oleh Oleg Roman Denys Denis Artem Vitalii Vitaliy Anatolii
Valerii Yevhen Yevgen Evgeny Evgeniy Ruslan Vadym Vadim Stepan Nazar Yaroslav
Vladyslav Vladislav Kostiantyn Konstantin Borys Boris Halyna Galina Liudmyla
Lyudmila Valentyna Valentina Nadiia Nadia Nadezhda Larysa Larisa Inna Alla
Zoia Nina Tamara Polina Sofiia Sofia Sofiya Yana Diana Khrystyna Kristina
Khristina Maryna Marina Liliia Lilia Vira Vera Liubov Lyubov Valeriia Valeria
Veronika Karyna Karina Anhelina Angelina Oleksandra Alexandra Yevheniia
Evgenia Olesia Olesya Uliana Ulyana Zlata Mariana Marianna Maryana Snizhana
Snezhana Ilona Eduard Arsenii Danylo Daniil Kyrylo Kirill Matvii Timur Tymur
Rostyslav Stanislav Sviatoslav Myroslav Hennadii Gennady Hryhorii Grigory
Leonid Fedir Fyodor Fedor Mark David Artur Arthur Illia Ilya Nikita Mykyta
Anton Hanna Ganna Lesia Lesya Solomiia Marta Kira Yeva Liza Zhanna Raisa
Lidiia Lidia Antonina Marharyta Margarita Bohdana Daryna Myroslava Yaroslava
Vasylyna Ksenia Kseniia Olya Tanya Sasha Masha Dasha Natasha Katya Vova Kolya
Dima Petya Zhenya Sania Yura Misha Pasha Roma Kostia Vania Kate John Michael
Mateusz Piotr Tomasz Marek Krzysztof Pawel Agnieszka Katarzyna Magdalena
Mehmet Ahmed Mustafa""".split()

# Exceptions: the stem the endings go on, where it is not regular.
UK_STEM = {"Федір": "Федор", "Лев": "Лев"}
RU_STEM = {"Пётр": "Петр", "Петр": "Петр", "Павел": "Павл"}
VELAR = "гкх"
SOFT_Z = {"г": "з", "к": "ц", "х": "с"}
HUSH_RU = "гкхжшщч"


def uk_m(n):
    if n in UK_STEM:
        s = UK_STEM[n]
        return [n, s + "а", s + "у", s + "ові", s + "ом", s + "і", s + "е"]
    if n.endswith("ій"):
        b = n[:-2]
        return [n, b + "ія", b + "ію", b + "ієві", b + "ієм", b + "ії"]
    if n == "Ігор":
        return [n, "Ігоря", "Ігорю", "Ігореві", "Ігорем", "Ігорі", "Ігоре"]
    if n.endswith("ь"):
        b = n[:-1]
        return [n, b + "я", b + "ю", b + "еві", b + "ем", b + "і"]
    if n.endswith("о"):
        b = n[:-1]
        voc = b + "у" if b[-1] in VELAR else b + "е"
        return [n, b + "а", b + "у", b + "ові", b + "ом", b + "і", voc]
    if n.endswith("я"):  # Ілля, Вася, Петя, Коля, Толя, Женя
        b = n[:-1]
        if n == "Ілля":
            return [n, "Іллі", "Іллю", "Іллею", "Ілле"]
        return [n, b + "і", b + "ю", b + "ею", b + "е"]
    if n.endswith("а"):
        b = n[:-1]
        dat = b[:-1] + SOFT_Z[b[-1]] + "і" if b[-1] in SOFT_Z else b + "і"
        return [n, b + "и", dat, b + "у", b + "ою", b + "о"]
    voc = n + "у" if n[-1] in VELAR else n + "е"
    return [n, n + "а", n + "у", n + "ові", n + "ом", n + "і", voc]


def uk_f(n):
    if n == "Кейт":
        return [n]
    if n == "Любов":
        return [n, "Любові", "Любов'ю", "Любове"]
    if n.endswith("ія"):
        b = n[:-1]
        return [n, b + "ї", b + "ю", b + "єю", b + "є"]
    if n.endswith("'я"):  # Дар'я
        b = n[:-1]
        return [n, b + "ї", b + "ю", b + "єю", b + "є"]
    if n.endswith("я"):  # Оля, Таня, Галя, Настя, Юля, Олеся, Леся, Уляна? (no)
        b = n[:-1]
        return [n, b + "і", b + "ю", b + "ею", b + "е"]
    b = n[:-1]
    dat = b[:-1] + SOFT_Z[b[-1]] + "і" if b[-1] in SOFT_Z else b + "і"
    gen = b + "і" if b[-1] in "жчшщ" else b + "и"
    voc = b + "о"
    return [n, gen, dat, b + "у", b + "ою", b + "ею" if b[-1] in "жчшщ" else b + "ою", voc]


def ru_m(n):
    s = RU_STEM.get(n, n)
    if n.endswith("ай"):  # Николай
        b = n[:-1]
        return [n, b + "я", b + "ю", b + "ем", b + "е"]
    if n.endswith("ей"):
        b = n[:-1]
        return [n, b + "я", b + "ю", b + "ем", b + "е"]
    if n.endswith("ий"):
        b = n[:-1]
        return [n, b + "я", b + "ю", b + "ем", b + "и"]
    if n.endswith("ь"):
        b = n[:-1]
        return [n, b + "я", b + "ю", b + "ем", b + "е"]
    if n.endswith("я"):  # Илья
        b = n[:-1]
        return [n, b + "и", b + "е", b + "ю", b + "ей"]
    if n.endswith("а"):  # Никита
        b = n[:-1]
        return [n, b + "ы", b + "е", b + "у", b + "ой"]
    return [n, s + "а", s + "у", s + "ом", s + "е"]


def ru_f(n):
    if n == "Любовь":
        return [n, "Любови", "Любовью"]
    if n.endswith("ия") or n.endswith("ья"):
        b = n[:-1]
        dat = b + "и" if n.endswith("ия") else b + "е"
        return [n, b + "и", dat, b + "ю", b + "ей"]
    b = n[:-1]
    gen = b + "и" if b[-1] in HUSH_RU else b + "ы"
    return [n, gen, b + "е", b + "у", b + "ой", b + "ою"]


def main():
    print("# data/names.txt: given names the redactor recognises (src/core/redact_words.c),")
    print("# one name a line, its case forms after it. Written by tools/gen-names.py,")
    print("# which says where the names come from; edit that script, not this file.")
    for group, rule in ((UK_M, uk_m), (UK_F, uk_f), (RU_M, ru_m), (RU_F, ru_f), (RU_SHORT, ru_f)):
        for n in group:
            forms = []
            for f in rule(n):
                if f not in forms:
                    forms.append(f)
            print(" ".join(forms))
    print(" ".join(LATIN))


main()
