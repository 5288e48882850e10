"""A realistic demo office: a provincial education office's integrated service unit (ULT Dinas Pendidikan)."""

from __future__ import annotations

from datetime import date

from werkzeug.security import generate_password_hash

from ..domain.hours import ALWAYS_OPEN
from ..domain.model import DEFAULT_OPENING_HOURS, Agency, Counter, Role, Service, User
from .unit_of_work import UnitOfWork

COMPLAINT = "Kotak saran di ruang tunggu, SMS/WA 0811-0000-1234, atau lapor.go.id"

SERVICES = [
    dict(
        code="A",
        name="Legalisir Ijazah",
        name_en="Diploma Legalization",
        unit="Bidang Pembinaan SMA",
        description="Pengesahan fotokopi ijazah/STTB SMA, SMK dan SLB.",
        requirements=["Ijazah asli", "Fotokopi ijazah (maksimal 10 lembar)", "KTP pemohon atau surat kuasa"],
        procedure=[
            "Serahkan berkas di loket",
            "Petugas memeriksa keaslian ijazah",
            "Kepala bidang menandatangani legalisir",
            "Pemohon menerima legalisir",
        ],
        standard_minutes=15,
        fee="Gratis",
        product="Fotokopi ijazah yang dilegalisir",
        sop_number="SOP/ULT/001/2024",
        sop_effective_date=date(2024, 1, 2),
        sop_approved_by="Kepala Dinas Pendidikan",
        daily_quota=150,
        description_en="Certified copies of senior high, vocational and special school diplomas.",
        requirements_en=[
            "Original diploma",
            "Copies of the diploma (at most 10)",
            "Applicant's ID card or a power of attorney",
        ],
        procedure_en=[
            "Hand in the documents at the counter",
            "The officer checks the original diploma",
            "The head of department signs the copies",
            "The applicant receives the certified copies",
        ],
        fee_en="Free of charge",
        product_en="Certified copies of the diploma",
    ),
    dict(
        code="B",
        name="Mutasi Siswa",
        name_en="Student Transfer",
        unit="Bidang Pembinaan SMA",
        description="Rekomendasi pindah sekolah antar kabupaten/kota atau antar provinsi.",
        requirements=[
            "Surat permohonan orang tua",
            "Surat keterangan pindah dari sekolah asal",
            "Surat keterangan diterima dari sekolah tujuan",
            "Fotokopi rapor terakhir",
            "Fotokopi Kartu Keluarga",
        ],
        procedure=["Verifikasi berkas", "Pemeriksaan data Dapodik", "Penerbitan surat rekomendasi mutasi"],
        standard_minutes=20,
        fee="Gratis",
        product="Surat rekomendasi mutasi siswa",
        sop_number="SOP/ULT/002/2024",
        sop_effective_date=date(2024, 1, 2),
        sop_approved_by="Kepala Dinas Pendidikan",
    ),
    dict(
        code="C",
        name="Rekomendasi Izin Operasional Sekolah",
        name_en="School Operating Permit Recommendation",
        unit="Bidang Kelembagaan dan Sarana Prasarana",
        description="Rekomendasi pendirian atau perpanjangan izin operasional SMA/SMK swasta.",
        requirements=[
            "Surat permohonan yayasan",
            "Akta notaris dan SK Kemenkumham yayasan",
            "Bukti kepemilikan lahan",
            "Studi kelayakan",
            "Data calon peserta didik dan pendidik",
        ],
        procedure=[
            "Penerimaan dan verifikasi berkas",
            "Jadwal visitasi lapangan",
            "Rapat tim verifikasi",
            "Penerbitan rekomendasi",
        ],
        standard_minutes=30,
        fee="Gratis",
        product="Surat rekomendasi izin operasional",
        sop_number="SOP/ULT/003/2024",
        sop_effective_date=date(2024, 3, 1),
        sop_approved_by="Kepala Dinas Pendidikan",
        daily_quota=20,
    ),
    dict(
        code="D",
        name="Tunjangan Profesi Guru",
        name_en="Teacher Professional Allowance",
        unit="Bidang Guru dan Tenaga Kependidikan",
        description="Konsultasi dan verifikasi berkas tunjangan profesi guru (TPG).",
        requirements=["Sertifikat pendidik", "SK pembagian tugas mengajar", "Info GTK terbaru", "NPWP"],
        procedure=["Pengecekan data Info GTK", "Verifikasi berkas", "Tindak lanjut ke pengelola TPG"],
        standard_minutes=20,
        fee="Gratis",
        product="Bukti verifikasi berkas TPG",
        sop_number="SOP/ULT/004/2024",
        sop_effective_date=date(2024, 1, 2),
        sop_approved_by="Kepala Dinas Pendidikan",
    ),
    dict(
        code="E",
        name="Pengaduan dan Informasi",
        name_en="Complaints and Information",
        unit="Sekretariat",
        description="Pengaduan layanan, permintaan informasi publik dan konsultasi umum.",
        requirements=["KTP atau identitas lain"],
        procedure=["Pencatatan pengaduan", "Klarifikasi", "Tindak lanjut dan jawaban paling lama 14 hari kerja"],
        standard_minutes=10,
        fee="Gratis",
        product="Tanda terima pengaduan / informasi yang diminta",
        sop_number="SOP/ULT/005/2024",
        sop_effective_date=date(2024, 1, 2),
        sop_approved_by="Sekretaris Dinas",
    ),
]

COUNTERS = [
    (1, "Loket 1", "Lantai 1", ["A", "B"]),
    (2, "Loket 2", "Lantai 1", ["A", "E"]),
    (3, "Loket 3", "Lantai 1", ["C", "D"]),
    (4, "Loket 4", "Lantai 1", ["D", "E", "B"]),
]

PEOPLE = [
    ("admin", "Administrator ULT", Role.ADMIN, None),
    ("supervisor", "Drs. Hendra Wijaya, M.Pd.", Role.SUPERVISOR, ["A", "B", "C", "D", "E"]),
    ("siti", "Siti Rahmawati, S.Pd.", Role.OFFICER, ["A", "B"]),
    ("budi", "Budi Santoso", Role.OFFICER, ["A", "E"]),
    ("agus", "Agus Salim, S.T.", Role.OFFICER, ["C", "D"]),
    ("dewi", "Dewi Lestari, S.E.", Role.OFFICER, ["B", "D", "E"]),
]
DEMO_PASSWORD = "demo12345"

#: A second, small agency in the same building (issue 26), so the demo shows a hall of two: the
#: immigration office with two services, one counter and one officer (`imigrasi`).
DISDIK = ("DISDIK", "Dinas Pendidikan Provinsi", "Disdik")
IMIGRASI = ("IMIGRASI", "Kantor Imigrasi Kelas I", "Imigrasi")
IMIGRASI_SERVICES = [
    dict(
        code="P",
        name="Paspor Baru",
        name_en="New Passport",
        unit="Seksi Lalu Lintas Keimigrasian",
        description="Permohonan paspor biasa untuk warga negara Indonesia.",
        requirements=["KTP elektronik", "Kartu Keluarga", "Akta kelahiran atau ijazah"],
        procedure=["Verifikasi berkas", "Foto dan sidik jari", "Wawancara", "Pembayaran PNBP"],
        standard_minutes=20,
        fee="Rp350.000 (PNBP)",
        product="Paspor biasa 48 halaman",
        sop_number="SOP/IMI/001/2024",
        sop_effective_date=date(2024, 1, 2),
        sop_approved_by="Kepala Kantor Imigrasi",
    ),
    dict(
        code="Q",
        name="Penggantian Paspor",
        name_en="Passport Renewal",
        unit="Seksi Lalu Lintas Keimigrasian",
        description="Penggantian paspor yang habis berlaku, penuh, rusak atau hilang.",
        requirements=["KTP elektronik", "Paspor lama"],
        procedure=["Verifikasi berkas", "Foto dan sidik jari", "Pembayaran PNBP"],
        standard_minutes=15,
        fee="Rp350.000 (PNBP)",
        product="Paspor biasa 48 halaman",
        sop_number="SOP/IMI/002/2024",
        sop_effective_date=date(2024, 1, 2),
        sop_approved_by="Kepala Kantor Imigrasi",
    ),
]
IMIGRASI_COUNTERS = [(5, "Loket 5 Imigrasi", "Lantai 2", ["P", "Q"])]
IMIGRASI_PEOPLE = [("imigrasi", "Rina Kartika", Role.OFFICER, ["P", "Q"])]


def seed(
    uow: UnitOfWork, *, always_open: bool = False, password_hash: str | None = None, second_agency: bool = False
) -> bool:
    """Fill an empty database with the demo office (and, with `second_agency`, the immigration
    office beside it in the same hall); returns False if there was data already."""
    if uow.repo.service_by_code("A") is not None:
        return False
    hours = ALWAYS_OPEN.to_dict() if always_open else DEFAULT_OPENING_HOURS
    office = uow.repo.office()
    office.name = "ULT Dinas Pendidikan Provinsi"
    office.address = "Jl. Pendidikan No. 1"
    office.opening_hours = hours
    office.running_text = "Selamat datang di Unit Layanan Terpadu. Layanan gratis, tolak gratifikasi."
    password_hash = password_hash or generate_password_hash(DEMO_PASSWORD)
    _seed_agency(uow, DISDIK, SERVICES, PEOPLE, COUNTERS, password_hash, complaint_channel=COMPLAINT)
    if second_agency:
        _seed_agency(uow, IMIGRASI, IMIGRASI_SERVICES, IMIGRASI_PEOPLE, IMIGRASI_COUNTERS, password_hash, len(SERVICES))
    uow.commit()
    return True


def _seed_agency(
    uow: UnitOfWork,
    names: tuple,
    services: list,
    people: list,
    counters: list,
    password_hash: str,
    first_position: int = 0,
    **service_fields,
) -> None:
    """One agency of the demo hall: its services (kiosk order from `first_position`), its people (officers
    are the agency's; admins and supervisors the site's) and its counters."""
    agency = Agency(*names)
    uow.repo.add(agency)
    uow.session.flush()
    by_code = {}
    for position, fields in enumerate(services, start=first_position):
        fields = dict(fields)
        service = Service(
            fields.pop("code"), fields.pop("name"), position=position, agency_id=agency.id, **service_fields, **fields
        )
        uow.repo.add(service)
        by_code[service.code] = service
    for username, full_name, role, codes in people:
        user = User(username, full_name, role, password_hash)
        user.competences = [by_code[c] for c in (codes or [])]
        user.agency_id = agency.id if role == Role.OFFICER else None
        uow.repo.add(user)
    uow.session.flush()
    for number, name, area, codes in counters:
        counter = Counter(number, name, area, agency.id)
        uow.repo.add(counter)
        uow.session.flush()
        uow.repo.set_counter_services(counter, [by_code[c].id for c in codes])
