"""The nine SKM elements (unsur) and their weights, as Permenpan RB No. 14 Tahun 2017 sets them.

This module imports nothing beyond the standard library, so that the schemas of the
processed tables can take the element keys from here.

Examples
--------
>>> ELEMENTS[0], UNSUR["u9"], UNSUR_EN["u9"]
('u1', 'Sarana dan prasarana', 'Facilities')

"""

from __future__ import annotations

#: Element keys in the regulation's order (Permenpan RB 14/2017).
ELEMENTS: tuple[str, ...] = tuple(f"u{k}" for k in range(1, 10))

#: Names of the elements (unsur), Indonesian as in the regulation.
UNSUR: dict[str, str] = {
    "u1": "Persyaratan",
    "u2": "Sistem, Mekanisme, dan Prosedur",
    "u3": "Waktu Penyelesaian",
    "u4": "Biaya/Tarif",
    "u5": "Produk Spesifikasi Jenis Pelayanan",
    "u6": "Kompetensi Pelaksana",
    "u7": "Perilaku Pelaksana",
    "u8": "Penanganan Pengaduan, Saran dan Masukan",
    "u9": "Sarana dan prasarana",
}

#: English labels of the elements, for reports in ``lang="en"``.
UNSUR_EN: dict[str, str] = {
    "u1": "Requirements",
    "u2": "Systems, mechanisms and procedures",
    "u3": "Completion time",
    "u4": "Cost/tariff",
    "u5": "Service products",
    "u6": "Staff competence",
    "u7": "Staff behaviour",
    "u8": "Handling of complaints and suggestions",
    "u9": "Facilities",
}

#: The weight of an element: exactly 1/9, or the 0.111 printed in the regulation.
WEIGHTS: dict[str, float] = {"exact": 1 / 9, "rounded": 0.111}

__all__ = ["ELEMENTS", "UNSUR", "UNSUR_EN", "WEIGHTS"]
