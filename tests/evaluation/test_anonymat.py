from evaluation.anonymat import Ventilation, ventiler


def test_tous_les_groupes_au_seuil_sont_visibles():
    assert ventiler({"DH": 5, "D3S": 5, "DS": 5}, seuil=5) == Ventilation(["DH", "D3S", "DS"], [])


def test_un_petit_groupe_entraine_le_plus_petit_autre_groupe():
    # DS alone hidden could be found as total - DH - D3S: D3S (the smallest visible) is hidden with it.
    assert ventiler({"DH": 20, "D3S": 6, "DS": 4}, seuil=5) == Ventilation(["DH"], ["D3S", "DS"])


def test_deux_petits_groupes_dont_le_total_atteint_le_seuil_suffisent():
    assert ventiler({"DH": 20, "D3S": 3, "DS": 2}, seuil=5) == Ventilation(["DH"], ["D3S", "DS"])


def test_deux_petits_groupes_sous_le_seuil_ensemble_en_entrainent_un_troisieme():
    assert ventiler({"DH": 20, "D3S": 8, "DS": 2, "PH": 1}, seuil=5) == Ventilation(["DH"], ["D3S", "DS", "PH"])


def test_groupes_vides_ne_protegent_personne():
    # PH has no response: hiding it alone would leave DS recoverable by difference.
    assert ventiler({"DH": 9, "D3S": 7, "DS": 4, "PH": 0}, seuil=5) == Ventilation(["DH"], ["D3S", "DS", "PH"])


def test_groupes_vides_seuls_masques_ne_changent_rien():
    assert ventiler({"DH": 9, "D3S": 7, "PH": 0}, seuil=5) == Ventilation(["DH", "D3S"], ["PH"])


def test_un_groupe_a_quatre_sur_deux_est_tout_masque():
    assert ventiler({"mentore": 4, "mentor": 9}, seuil=5) == Ventilation([], ["mentore", "mentor"])


def test_seuil_moins_un():
    assert ventiler({"a": 4, "b": 5, "c": 5}, seuil=5) == Ventilation(["c"], ["a", "b"])
