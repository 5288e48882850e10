"""The workbook's layout: heading lines, the table's title, a blank line, the header and the total in
bold, the rows plain; every cell neutralised like the CSV's."""

import io

from openpyxl import load_workbook

from servicedesk.services.exports.files import to_xlsx
from servicedesk.services.exports.table import Table


def test_a_sheet_has_its_header_and_total_in_bold_and_every_text_cell_neutralised():
    table = Table("services", "Per service", ["=Layanan", "Tiket"], [["=HYPERLINK()", 3], ["B", 2]], ["Total", 5])
    sheet = load_workbook(io.BytesIO(to_xlsx([table], ["Kantor"])))["services"]
    rows = list(sheet.iter_rows())
    assert [[c.value for c in row] for row in rows] == [
        ["Kantor", None],
        ["Per service", None],
        [None, None],
        ["'=Layanan", "Tiket"],
        ["'=HYPERLINK()", 3],
        ["B", 2],
        ["Total", 5],
    ]
    bold = [[bool(c.font and c.font.b) for c in row] for row in rows[3:]]
    assert bold == [[True, True], [False, False], [False, False], [True, True]]
