from servicedesk.domain.nip import plausible_nip


def test_a_real_shaped_nip_is_plausible():
    assert plausible_nip("198503122010011002")
    assert plausible_nip("199001012015032001")


def test_a_nip_of_the_wrong_length_or_with_letters_is_not():
    assert not plausible_nip("19850312201001100")
    assert not plausible_nip("1985031220100110021")
    assert not plausible_nip("19850312201001100A")
    assert not plausible_nip("１９８５０３１２２０１００１１００２")  # full-width digits


def test_a_nip_whose_birth_date_or_appointment_month_is_not_a_date_is_not():
    assert not plausible_nip("198513122010011002")  # month 13
    assert not plausible_nip("198502302010011002")  # 30 February
    assert not plausible_nip("198503122010131002")  # appointed in month 13


def test_the_sex_digit_is_one_or_two_and_appointment_follows_birth():
    assert not plausible_nip("198503122010013002")
    assert not plausible_nip("198503121980011002")
