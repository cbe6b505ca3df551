/**
 * LK2-style rules, written the way LK2's admins write Python, covering every construct the
 * translator takes (see the comments). Ids give LK2's evaluation order; rules without a name are
 * `rule_<id>` to later rules. Every one of them must translate (the differential test checks
 * that, and that our engine then agrees with python3 for every demo employee).
 */
import type { Lk2Rule } from "../../src/lk2/index.ts";

type Row = [id: number, name: string | null, value: string, extra?: Partial<Lk2Rule>];

const ROWS: Row[] = [
  // the article's own example
  [
    1,
    "moscow_or_vip",
    'any(unit in orgunit_path for unit in ["50623875", "51893158"]) or int(personnel_number) in [1240519, 135160]',
  ],
  // in / not in: lists, tuples, sets, strings
  [2, "is_cashier", '"cashier" in roles'],
  [3, "is_director", '"store_director" in roles or "deputy_director" in roles'],
  [4, "capital", 'region in ("R077", "R078")'],
  [5, "not_capital", 'region not in {"R077", "R078", "R050"}'],
  [6, "moscow_name", '"Моск" in region_name'],
  [7, "director_title", '"директор" in position.lower()'],
  [8, "listed_store", 'store_id in "S07701 S07801 S02705"'],
  [9, "store_is_none", "store_id is None"],
  [10, "not_seller", '"seller" not in roles'],
  // == on lists, tuples
  [11, "plain_seller", 'roles == ["employee", "seller"]'],
  [12, "sorted_apps", 'sorted(apps)[:2] == ["deputies", "hr_documents"]'],
  [13, "path_head", 'orgunit_path[:3] == ["50000000", "50000100", "50623875"]'],
  [14, "path_not_head", 'orgunit_path[:2] != ["50000000", "50000200"]'],
  // truthiness
  [15, "has_store", "store_id"],
  [16, "has_apps", "apps"],
  [17, "no_apps", "not apps"],
  [18, "empty_filter", '[r for r in roles if r == "nobody"]'],
  [19, "bool_path", "bool(orgunit_path[5:])"],
  // and / or return operands
  [20, "first_role_employee", '(roles and roles[0]) == "employee"'],
  [21, "store_or_none", '(store_id or "none") == "none"'],
  [22, "gender_or_region", '(gender or region) == "R027"'],
  [23, "apps_or_default", 'len(apps or ["x"]) > 5'],
  [24, "roles_and_apps", "len(roles and apps) > 6"],
  // None, True, False, and Python's True == 1
  [25, "no_gender", "gender is None"],
  [26, "manager_is_true", "is_manager is True"],
  [27, "manager_eq_one", "is_manager == 1"],
  [28, "manager_plus", "is_manager + is_manager == 2"],
  [29, "not_manager_false", "is_manager is not False and not store_id"],
  // chained comparisons
  [30, "few_roles", "1 <= len(roles) < 3"],
  [31, "born_nineties", '"1990-01-01" <= birthday <= "1999-12-31"'],
  [32, "chain_mixed", "len(apps) > len(roles) == 2 < 3"],
  // conditional expressions
  [33, "cond_store", '("cashier" in roles) if store_id else ("it" in roles)'],
  [34, "cond_value", "(len(apps) if is_manager else 0) > 8"],
  // literals
  [
    35,
    "literal_escapes",
    "region_name == \"\\u041c\\u043e\\u0441\\u043a\\u0432\\u0430\" or region == 'R\\x30\\x35\\x30'",
  ],
  [36, "literal_numbers", "int(personnel_number) > 0x10 * 1_000 and 1.5 < 2 and 1e3 == 1000"],
  [37, "literal_concat", 'position == "Продавец-" "консультант"'],
  [38, "literal_raw", 'r"\\d" == "\\\\d"'],
  // any() / all() over generator expressions
  [39, "any_prefix", 'any(a.startswith("vacation") for a in apps)'],
  [40, "all_short", "all(len(r) < 12 for r in roles)"],
  [41, "any_nested", 'any(a == r for r in roles for a in ["cashier", "it"] if r)'],
  [42, "all_filtered", 'all(a.endswith("s") for a in apps if a.startswith("store"))'],
  [43, "any_list", "any([is_manager, store_id is None])"],
  [44, "any_empty_string", 'any("")'],
  // len, int, str, bool, min, max, sum, abs, sorted, set
  [45, "pernr_small", "int(personnel_number) < 100000"],
  [46, "orgunit_even", "int(orgunit_id) % 2 == 0"],
  [47, "group_three", "int(employee_group) == 3"],
  [48, "int_padded", 'int(" 0042 ") == 42 and int("-7") < 0 and int("1_000") == 1000'],
  [49, "str_manager", 'str(is_manager) == "True"'],
  [50, "str_store", 'str(store_id) == "None"'],
  [51, "str_len", "str(len(roles)) == '2'"],
  [52, "max_role", 'max(roles) > "seller"'],
  [53, "min_len", "min(len(r) for r in roles) >= 8"],
  [54, "min_args", "min(len(apps), 7) == 7 and max(1, len(roles)) == 2"],
  [55, "sum_len", "sum(len(a) for a in apps) > 60"],
  [56, "sum_bools", "sum([is_manager, store_id is None, gender is None]) >= 1"],
  [57, "abs_unit", "abs(int(orgunit_id[-2:]) - 50) < 10"],
  [58, "apps_unique", "len(set(apps)) == len(apps)"],
  [59, "set_overlap", 'set(roles) & {"it", "hr_admin", "cashier"}'],
  [60, "set_difference", 'len(set(apps) - {"payslip", "vacation"}) > 6'],
  [61, "set_equal", 'set(roles) == {"seller", "employee"}'],
  [62, "sorted_reverse", 'sorted(roles, reverse=True)[0] == "seller"'],
  [63, "sorted_numbers", "sorted([len(a) for a in apps])[-1] > 16"],
  // string methods
  [64, "gender_upper", 'gender.upper() == "MALE"'],
  [65, "name_strip", "full_name.strip() != full_name"],
  [66, "position_strip_start", 'position.strip().startswith(("Дир", "Зам"))'],
  [67, "name_endswith", 'full_name.strip().endswith("вна")'],
  [68, "split_name", 'len(full_name.split()) == 3 and full_name.split(" ")[0].endswith("ова")'],
  [69, "replace_join", '"-".join(roles).replace("-", "+") == "employee+seller"'],
  // slices and indexes
  [70, "pernr_last", 'personnel_number[-1] == "7"'],
  [71, "birthday_may", 'birthday[5:7] == "05"'],
  [72, "name_reversed", 'full_name.strip()[::-1].startswith("анв")'],
  [73, "name_first_letter", 'full_name[0] in "АБВ"'],
  [74, "role_index_error", 'roles[5] == "x" or is_manager'],
  // dates
  [75, "new_hire", "(date.fromisoformat(today) - date.fromisoformat(hire_date)).days < 400"],
  [76, "birthday_month", "date.fromisoformat(birthday).month == date.fromisoformat(today).month"],
  [77, "birthday_today", "birthday[5:] == today[5:]"],
  [78, "long_service", "date.fromisoformat(today) - date.fromisoformat(hire_date)"],
  [79, "hired_before", "date.fromisoformat(hire_date) < date(2010, 1, 1)"],
  [
    80,
    "born_weekday",
    "date.fromisoformat(birthday).weekday() == 0 or date.fromisoformat(birthday).isoweekday() == 7",
  ],
  [
    81,
    "literal_date",
    'date.fromisoformat("2020-02-29").day == 29 and date.fromisoformat(birthday).year >= 1980',
  ],
  // Python's precedence of not/and/or
  [82, "precedence_1", 'not is_manager and "seller" in roles'],
  [83, "precedence_2", 'is_manager and not store_id or "it" in roles'],
  [84, "precedence_3", "not store_id is None and not not apps"],
  // arithmetic
  [85, "arith", "len(apps) * 2 - len(roles) // 2 > 12 and -len(roles) % 3 == 1 and 2 ** 3 == 8"],
  [86, "division", "len(roles) / len(apps) > 0.3"],
  // errors in Python make a rule false
  [87, "int_error", "int(full_name) > 0 or int(region) > 0"],
  [88, "none_method", 'birthday.startswith("19")'],
  [89, "zero_division", "1 / (len(apps) - len(apps)) > 0 or 5 // (len(roles) - 2) > 0"],
  [90, "none_compare", 'not (birthday > "2000-01-01")'],
  // references to earlier rules, by name and as rule_<id>
  [91, null, "is_cashier and capital"],
  [92, "refers_unnamed", "rule_91 or (is_director and not not_capital)"],
  [93, "refers_many", "sum([is_cashier, is_director, has_store, moscow_or_vip]) >= 2"],
  // LK2 never runs a rule that is not executable: it is false there, for the rules using it too
  [94, "switched_off", "True", { executable: false }],
  [95, "refers_off", "switched_off or is_cashier"],
  // LK1: app codes, and an LK1 rule rewritten in Python
  [96, "lk1_codes", "payslip, vacation_approval; it_admin", { lk1: true }],
  [97, "lk1_python", '"kpi" in apps and is_manager', { lk1: true }],
  [98, "refers_lk1", "lk1_codes and not lk1_python"],
  [99, "platform_web", 'platform == "web" and now[:4] == today[:4]'],
];

export const CORPUS: Lk2Rule[] = ROWS.map(([id, name, value, extra]) => ({
  id,
  name,
  title: `Правило ${id}`,
  value,
  executable: true,
  lk1: false,
  ...extra,
}));
