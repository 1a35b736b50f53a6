//! Numbering-plan tables generated from the libphonenumber metadata of the `phonenumber` crate
//! (`PhoneNumberMetadata.xml`) by `tests/tables.rs`: do not edit by hand. Regenerate with
//! `SMSKIT_PHONE_REGENERATE=1 cargo test -p smskit-phone --test tables`; without the variable
//! the test fails when this file is out of date. The types and the indexes derived from these
//! tables live in `src/tables.rs`.

use crate::region::Region;
use crate::tables::{CallingCode, RegionPlan};

pub(crate) const CALLING_CODES: &[CallingCode] = &[
    CallingCode { code: 1, regions: &[227 /* US */, 4 /* AG */, 5 /* AI */, 10 /* AS */, 17 /* BB */, 26 /* BM */, 31 /* BS */, 36 /* CA */, 58 /* DM */, 59 /* DO */, 76 /* GD */, 89 /* GU */, 108 /* JM */, 116 /* KN */, 120 /* KY */, 124 /* LC */, 145 /* MP */, 148 /* MS */, 177 /* PR */, 206 /* SX */, 210 /* TC */, 221 /* TT */, 231 /* VC */, 233 /* VG */, 234 /* VI */], lengths: &[10], local_lengths: &[7] },
    CallingCode { code: 7, regions: &[186 /* RU */, 121 /* KZ */], lengths: &[10, 14], local_lengths: &[7] },
    CallingCode { code: 20, regions: &[63 /* EG */], lengths: &[8, 9, 10], local_lengths: &[6, 7] },
    CallingCode { code: 27, regions: &[242 /* ZA */], lengths: &[5, 6, 7, 8, 9, 10], local_lengths: &[] },
    CallingCode { code: 30, regions: &[87 /* GR */], lengths: &[10, 11, 12], local_lengths: &[] },
    CallingCode { code: 31, regions: &[162 /* NL */], lengths: &[5, 6, 7, 8, 9, 10, 11], local_lengths: &[] },
    CallingCode { code: 32, regions: &[19 /* BE */], lengths: &[8, 9], local_lengths: &[] },
    CallingCode { code: 33, regions: &[73 /* FR */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 34, regions: &[66 /* ES */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 36, regions: &[96 /* HU */], lengths: &[8, 9], local_lengths: &[6, 7] },
    CallingCode { code: 39, regions: &[106 /* IT */, 230 /* VA */], lengths: &[6, 7, 8, 9, 10, 11, 12], local_lengths: &[] },
    CallingCode { code: 40, regions: &[184 /* RO */], lengths: &[6, 9], local_lengths: &[] },
    CallingCode { code: 41, regions: &[41 /* CH */], lengths: &[9, 12], local_lengths: &[] },
    CallingCode { code: 43, regions: &[11 /* AT */], lengths: &[4, 5, 6, 7, 8, 9, 10, 11, 12, 13], local_lengths: &[3] },
    CallingCode { code: 44, regions: &[75 /* GB */, 79 /* GG */, 100 /* IM */, 107 /* JE */], lengths: &[7, 9, 10], local_lengths: &[4, 5, 6, 8] },
    CallingCode { code: 45, regions: &[57 /* DK */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 46, regions: &[192 /* SE */], lengths: &[6, 7, 8, 9, 10, 12], local_lengths: &[] },
    CallingCode { code: 47, regions: &[163 /* NO */, 196 /* SJ */], lengths: &[5, 8], local_lengths: &[] },
    CallingCode { code: 48, regions: &[175 /* PL */], lengths: &[6, 7, 8, 9, 10], local_lengths: &[] },
    CallingCode { code: 49, regions: &[55 /* DE */], lengths: &[4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], local_lengths: &[2, 3] },
    CallingCode { code: 51, regions: &[170 /* PE */], lengths: &[8, 9], local_lengths: &[6, 7] },
    CallingCode { code: 52, regions: &[153 /* MX */], lengths: &[10], local_lengths: &[7, 8] },
    CallingCode { code: 53, regions: &[49 /* CU */], lengths: &[6, 7, 8, 10], local_lengths: &[4, 5] },
    CallingCode { code: 54, regions: &[9 /* AR */], lengths: &[10, 11], local_lengths: &[6, 7, 8] },
    CallingCode { code: 55, regions: &[30 /* BR */], lengths: &[8, 9, 10, 11], local_lengths: &[] },
    CallingCode { code: 56, regions: &[44 /* CL */], lengths: &[9, 10, 11], local_lengths: &[] },
    CallingCode { code: 57, regions: &[47 /* CO */], lengths: &[8, 10, 11], local_lengths: &[4, 7] },
    CallingCode { code: 58, regions: &[232 /* VE */], lengths: &[10], local_lengths: &[7] },
    CallingCode { code: 60, regions: &[154 /* MY */], lengths: &[8, 9, 10], local_lengths: &[6, 7] },
    CallingCode { code: 61, regions: &[12 /* AU */, 37 /* CC */, 52 /* CX */], lengths: &[5, 6, 7, 8, 9, 10, 12], local_lengths: &[] },
    CallingCode { code: 62, regions: &[97 /* ID */], lengths: &[7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17], local_lengths: &[5, 6] },
    CallingCode { code: 63, regions: &[173 /* PH */], lengths: &[6, 8, 9, 10, 11, 12, 13], local_lengths: &[4, 5, 7] },
    CallingCode { code: 64, regions: &[167 /* NZ */], lengths: &[5, 6, 7, 8, 9, 10], local_lengths: &[] },
    CallingCode { code: 65, regions: &[193 /* SG */], lengths: &[8, 10, 11], local_lengths: &[] },
    CallingCode { code: 66, regions: &[213 /* TH */], lengths: &[8, 9, 10, 13], local_lengths: &[] },
    CallingCode { code: 81, regions: &[110 /* JP */], lengths: &[8, 9, 10, 11, 12, 13, 14, 15, 16, 17], local_lengths: &[] },
    CallingCode { code: 82, regions: &[118 /* KR */], lengths: &[5, 6, 8, 9, 10, 11, 12, 13, 14], local_lengths: &[3, 4, 7] },
    CallingCode { code: 84, regions: &[235 /* VN */], lengths: &[7, 8, 9, 10], local_lengths: &[] },
    CallingCode { code: 86, regions: &[46 /* CN */], lengths: &[7, 8, 9, 10, 11, 12], local_lengths: &[5, 6] },
    CallingCode { code: 90, regions: &[220 /* TR */], lengths: &[7, 10, 12, 13], local_lengths: &[] },
    CallingCode { code: 91, regions: &[101 /* IN */], lengths: &[8, 9, 10, 11, 12, 13], local_lengths: &[6, 7] },
    CallingCode { code: 92, regions: &[174 /* PK */], lengths: &[8, 9, 10, 11, 12], local_lengths: &[5, 6, 7] },
    CallingCode { code: 93, regions: &[3 /* AF */], lengths: &[9], local_lengths: &[7] },
    CallingCode { code: 94, regions: &[126 /* LK */], lengths: &[9], local_lengths: &[7] },
    CallingCode { code: 95, regions: &[142 /* MM */], lengths: &[6, 7, 8, 9, 10], local_lengths: &[5] },
    CallingCode { code: 98, regions: &[104 /* IR */], lengths: &[4, 5, 6, 7, 10], local_lengths: &[8] },
    CallingCode { code: 211, regions: &[203 /* SS */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 212, regions: &[133 /* MA */, 64 /* EH */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 213, regions: &[60 /* DZ */], lengths: &[8, 9], local_lengths: &[] },
    CallingCode { code: 216, regions: &[218 /* TN */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 218, regions: &[132 /* LY */], lengths: &[9], local_lengths: &[7] },
    CallingCode { code: 220, regions: &[83 /* GM */], lengths: &[7], local_lengths: &[] },
    CallingCode { code: 221, regions: &[200 /* SN */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 222, regions: &[147 /* MR */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 223, regions: &[141 /* ML */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 224, regions: &[84 /* GN */], lengths: &[8, 9], local_lengths: &[] },
    CallingCode { code: 225, regions: &[42 /* CI */], lengths: &[10], local_lengths: &[] },
    CallingCode { code: 226, regions: &[20 /* BF */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 227, regions: &[158 /* NE */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 228, regions: &[212 /* TG */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 229, regions: &[24 /* BJ */], lengths: &[8, 10], local_lengths: &[] },
    CallingCode { code: 230, regions: &[150 /* MU */], lengths: &[7, 8, 10], local_lengths: &[] },
    CallingCode { code: 231, regions: &[127 /* LR */], lengths: &[7, 8, 9], local_lengths: &[] },
    CallingCode { code: 232, regions: &[198 /* SL */], lengths: &[8], local_lengths: &[6] },
    CallingCode { code: 233, regions: &[80 /* GH */], lengths: &[8, 9], local_lengths: &[7] },
    CallingCode { code: 234, regions: &[160 /* NG */], lengths: &[10, 11, 12, 13, 14], local_lengths: &[6, 7] },
    CallingCode { code: 235, regions: &[211 /* TD */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 236, regions: &[39 /* CF */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 237, regions: &[45 /* CM */], lengths: &[8, 9], local_lengths: &[] },
    CallingCode { code: 238, regions: &[50 /* CV */], lengths: &[7], local_lengths: &[] },
    CallingCode { code: 239, regions: &[204 /* ST */], lengths: &[7], local_lengths: &[] },
    CallingCode { code: 240, regions: &[86 /* GQ */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 241, regions: &[74 /* GA */], lengths: &[7, 8], local_lengths: &[] },
    CallingCode { code: 242, regions: &[40 /* CG */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 243, regions: &[38 /* CD */], lengths: &[7, 8, 9, 10], local_lengths: &[] },
    CallingCode { code: 244, regions: &[8 /* AO */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 245, regions: &[90 /* GW */], lengths: &[7, 9], local_lengths: &[] },
    CallingCode { code: 246, regions: &[102 /* IO */], lengths: &[7], local_lengths: &[] },
    CallingCode { code: 247, regions: &[0 /* AC */], lengths: &[5, 6], local_lengths: &[] },
    CallingCode { code: 248, regions: &[190 /* SC */], lengths: &[7], local_lengths: &[] },
    CallingCode { code: 249, regions: &[191 /* SD */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 250, regions: &[187 /* RW */], lengths: &[8, 9], local_lengths: &[] },
    CallingCode { code: 251, regions: &[67 /* ET */], lengths: &[9], local_lengths: &[7] },
    CallingCode { code: 252, regions: &[201 /* SO */], lengths: &[6, 7, 8, 9], local_lengths: &[] },
    CallingCode { code: 253, regions: &[56 /* DJ */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 254, regions: &[111 /* KE */], lengths: &[7, 8, 9, 10], local_lengths: &[] },
    CallingCode { code: 255, regions: &[224 /* TZ */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 256, regions: &[226 /* UG */], lengths: &[9], local_lengths: &[5, 6, 7] },
    CallingCode { code: 257, regions: &[23 /* BI */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 258, regions: &[155 /* MZ */], lengths: &[8, 9], local_lengths: &[] },
    CallingCode { code: 260, regions: &[243 /* ZM */], lengths: &[9], local_lengths: &[6] },
    CallingCode { code: 261, regions: &[138 /* MG */], lengths: &[9], local_lengths: &[7] },
    CallingCode { code: 262, regions: &[183 /* RE */, 241 /* YT */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 263, regions: &[244 /* ZW */], lengths: &[5, 6, 7, 8, 9, 10], local_lengths: &[3, 4] },
    CallingCode { code: 264, regions: &[156 /* NA */], lengths: &[8, 9], local_lengths: &[] },
    CallingCode { code: 265, regions: &[152 /* MW */], lengths: &[7, 9], local_lengths: &[] },
    CallingCode { code: 266, regions: &[128 /* LS */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 267, regions: &[33 /* BW */], lengths: &[7, 8, 10], local_lengths: &[] },
    CallingCode { code: 268, regions: &[208 /* SZ */], lengths: &[8, 9], local_lengths: &[] },
    CallingCode { code: 269, regions: &[115 /* KM */], lengths: &[7], local_lengths: &[4] },
    CallingCode { code: 290, regions: &[194 /* SH */, 209 /* TA */], lengths: &[4, 5], local_lengths: &[] },
    CallingCode { code: 291, regions: &[65 /* ER */], lengths: &[7], local_lengths: &[6] },
    CallingCode { code: 297, regions: &[13 /* AW */], lengths: &[7], local_lengths: &[] },
    CallingCode { code: 298, regions: &[72 /* FO */], lengths: &[6], local_lengths: &[] },
    CallingCode { code: 299, regions: &[82 /* GL */], lengths: &[6], local_lengths: &[] },
    CallingCode { code: 350, regions: &[81 /* GI */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 351, regions: &[179 /* PT */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 352, regions: &[130 /* LU */], lengths: &[4, 5, 6, 7, 8, 9, 10, 11], local_lengths: &[] },
    CallingCode { code: 353, regions: &[98 /* IE */], lengths: &[7, 8, 9, 10], local_lengths: &[5, 6] },
    CallingCode { code: 354, regions: &[105 /* IS */], lengths: &[7, 9], local_lengths: &[] },
    CallingCode { code: 355, regions: &[6 /* AL */], lengths: &[6, 7, 8, 9], local_lengths: &[5] },
    CallingCode { code: 356, regions: &[149 /* MT */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 357, regions: &[53 /* CY */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 358, regions: &[68 /* FI */, 14 /* AX */], lengths: &[5, 6, 7, 8, 9, 10, 11, 12], local_lengths: &[] },
    CallingCode { code: 359, regions: &[21 /* BG */], lengths: &[6, 7, 8, 9, 12], local_lengths: &[4, 5] },
    CallingCode { code: 370, regions: &[129 /* LT */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 371, regions: &[131 /* LV */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 372, regions: &[62 /* EE */], lengths: &[7, 8, 10], local_lengths: &[] },
    CallingCode { code: 373, regions: &[135 /* MD */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 374, regions: &[7 /* AM */], lengths: &[8], local_lengths: &[5, 6] },
    CallingCode { code: 375, regions: &[34 /* BY */], lengths: &[6, 7, 8, 9, 10, 11], local_lengths: &[5] },
    CallingCode { code: 376, regions: &[1 /* AD */], lengths: &[6, 8, 9], local_lengths: &[] },
    CallingCode { code: 377, regions: &[134 /* MC */], lengths: &[8, 9], local_lengths: &[] },
    CallingCode { code: 378, regions: &[199 /* SM */], lengths: &[8, 10], local_lengths: &[6] },
    CallingCode { code: 380, regions: &[225 /* UA */], lengths: &[9, 10], local_lengths: &[5, 6, 7] },
    CallingCode { code: 381, regions: &[185 /* RS */], lengths: &[6, 7, 8, 9, 10, 11, 12], local_lengths: &[4, 5] },
    CallingCode { code: 382, regions: &[136 /* ME */], lengths: &[8, 9], local_lengths: &[6] },
    CallingCode { code: 383, regions: &[239 /* XK */], lengths: &[8, 9, 10, 11, 12], local_lengths: &[] },
    CallingCode { code: 385, regions: &[94 /* HR */], lengths: &[7, 8, 9], local_lengths: &[6] },
    CallingCode { code: 386, regions: &[195 /* SI */], lengths: &[5, 6, 7, 8], local_lengths: &[] },
    CallingCode { code: 387, regions: &[16 /* BA */], lengths: &[8, 9], local_lengths: &[6] },
    CallingCode { code: 389, regions: &[140 /* MK */], lengths: &[8], local_lengths: &[6, 7] },
    CallingCode { code: 420, regions: &[54 /* CZ */], lengths: &[9, 10, 11, 12], local_lengths: &[] },
    CallingCode { code: 421, regions: &[197 /* SK */], lengths: &[6, 7, 9], local_lengths: &[] },
    CallingCode { code: 423, regions: &[125 /* LI */], lengths: &[7, 9], local_lengths: &[] },
    CallingCode { code: 500, regions: &[70 /* FK */], lengths: &[5], local_lengths: &[] },
    CallingCode { code: 501, regions: &[35 /* BZ */], lengths: &[7, 11], local_lengths: &[] },
    CallingCode { code: 502, regions: &[88 /* GT */], lengths: &[8, 11], local_lengths: &[] },
    CallingCode { code: 503, regions: &[205 /* SV */], lengths: &[7, 8, 11], local_lengths: &[] },
    CallingCode { code: 504, regions: &[93 /* HN */], lengths: &[8, 11], local_lengths: &[] },
    CallingCode { code: 505, regions: &[161 /* NI */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 506, regions: &[48 /* CR */], lengths: &[8, 10], local_lengths: &[] },
    CallingCode { code: 507, regions: &[169 /* PA */], lengths: &[7, 8, 10, 11], local_lengths: &[] },
    CallingCode { code: 508, regions: &[176 /* PM */], lengths: &[6, 9], local_lengths: &[] },
    CallingCode { code: 509, regions: &[95 /* HT */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 590, regions: &[85 /* GP */, 25 /* BL */, 137 /* MF */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 591, regions: &[28 /* BO */], lengths: &[8, 9], local_lengths: &[7] },
    CallingCode { code: 592, regions: &[91 /* GY */], lengths: &[7], local_lengths: &[] },
    CallingCode { code: 593, regions: &[61 /* EC */], lengths: &[8, 9, 10, 11], local_lengths: &[7] },
    CallingCode { code: 594, regions: &[78 /* GF */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 595, regions: &[181 /* PY */], lengths: &[6, 7, 8, 9, 10, 11], local_lengths: &[5] },
    CallingCode { code: 596, regions: &[146 /* MQ */], lengths: &[9], local_lengths: &[] },
    CallingCode { code: 597, regions: &[202 /* SR */], lengths: &[6, 7], local_lengths: &[] },
    CallingCode { code: 598, regions: &[228 /* UY */], lengths: &[4, 5, 6, 7, 8, 9, 10, 11, 12, 13], local_lengths: &[] },
    CallingCode { code: 599, regions: &[51 /* CW */, 29 /* BQ */], lengths: &[7, 8], local_lengths: &[] },
    CallingCode { code: 670, regions: &[216 /* TL */], lengths: &[7, 8], local_lengths: &[] },
    CallingCode { code: 672, regions: &[159 /* NF */], lengths: &[6], local_lengths: &[5] },
    CallingCode { code: 673, regions: &[27 /* BN */], lengths: &[7], local_lengths: &[] },
    CallingCode { code: 674, regions: &[165 /* NR */], lengths: &[7], local_lengths: &[] },
    CallingCode { code: 675, regions: &[172 /* PG */], lengths: &[7, 8], local_lengths: &[] },
    CallingCode { code: 676, regions: &[219 /* TO */], lengths: &[5, 7], local_lengths: &[] },
    CallingCode { code: 677, regions: &[189 /* SB */], lengths: &[5, 7], local_lengths: &[] },
    CallingCode { code: 678, regions: &[236 /* VU */], lengths: &[5, 7], local_lengths: &[] },
    CallingCode { code: 679, regions: &[69 /* FJ */], lengths: &[7, 11], local_lengths: &[] },
    CallingCode { code: 680, regions: &[180 /* PW */], lengths: &[7], local_lengths: &[] },
    CallingCode { code: 681, regions: &[237 /* WF */], lengths: &[6, 9], local_lengths: &[] },
    CallingCode { code: 682, regions: &[43 /* CK */], lengths: &[5], local_lengths: &[] },
    CallingCode { code: 683, regions: &[166 /* NU */], lengths: &[4, 7], local_lengths: &[] },
    CallingCode { code: 685, regions: &[238 /* WS */], lengths: &[5, 6, 7, 10], local_lengths: &[] },
    CallingCode { code: 686, regions: &[114 /* KI */], lengths: &[5, 8], local_lengths: &[] },
    CallingCode { code: 687, regions: &[157 /* NC */], lengths: &[6], local_lengths: &[] },
    CallingCode { code: 688, regions: &[222 /* TV */], lengths: &[5, 6, 7], local_lengths: &[] },
    CallingCode { code: 689, regions: &[171 /* PF */], lengths: &[6, 8, 9], local_lengths: &[] },
    CallingCode { code: 690, regions: &[215 /* TK */], lengths: &[4, 5, 6, 7], local_lengths: &[] },
    CallingCode { code: 691, regions: &[71 /* FM */], lengths: &[7], local_lengths: &[] },
    CallingCode { code: 692, regions: &[139 /* MH */], lengths: &[7], local_lengths: &[] },
    CallingCode { code: 800, regions: &[], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 808, regions: &[], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 850, regions: &[117 /* KP */], lengths: &[8, 10], local_lengths: &[6, 7] },
    CallingCode { code: 852, regions: &[92 /* HK */], lengths: &[5, 6, 7, 8, 9, 11], local_lengths: &[] },
    CallingCode { code: 853, regions: &[144 /* MO */], lengths: &[7, 8], local_lengths: &[] },
    CallingCode { code: 855, regions: &[113 /* KH */], lengths: &[8, 9, 10], local_lengths: &[6, 7] },
    CallingCode { code: 856, regions: &[122 /* LA */], lengths: &[8, 9, 10], local_lengths: &[6] },
    CallingCode { code: 870, regions: &[], lengths: &[9, 12], local_lengths: &[] },
    CallingCode { code: 878, regions: &[], lengths: &[12], local_lengths: &[] },
    CallingCode { code: 880, regions: &[18 /* BD */], lengths: &[6, 7, 8, 9, 10], local_lengths: &[] },
    CallingCode { code: 881, regions: &[], lengths: &[9, 10], local_lengths: &[] },
    CallingCode { code: 882, regions: &[], lengths: &[7, 8, 9, 10, 11, 12], local_lengths: &[] },
    CallingCode { code: 883, regions: &[], lengths: &[8, 9, 10, 11, 12], local_lengths: &[] },
    CallingCode { code: 886, regions: &[223 /* TW */], lengths: &[7, 8, 9, 10, 11], local_lengths: &[] },
    CallingCode { code: 888, regions: &[], lengths: &[11], local_lengths: &[] },
    CallingCode { code: 960, regions: &[151 /* MV */], lengths: &[7, 10], local_lengths: &[] },
    CallingCode { code: 961, regions: &[123 /* LB */], lengths: &[7, 8], local_lengths: &[] },
    CallingCode { code: 962, regions: &[109 /* JO */], lengths: &[8, 9], local_lengths: &[] },
    CallingCode { code: 963, regions: &[207 /* SY */], lengths: &[8, 9], local_lengths: &[6, 7] },
    CallingCode { code: 964, regions: &[103 /* IQ */], lengths: &[8, 9, 10], local_lengths: &[6, 7] },
    CallingCode { code: 965, regions: &[119 /* KW */], lengths: &[7, 8], local_lengths: &[] },
    CallingCode { code: 966, regions: &[188 /* SA */], lengths: &[9, 10], local_lengths: &[7] },
    CallingCode { code: 967, regions: &[240 /* YE */], lengths: &[7, 8, 9], local_lengths: &[6] },
    CallingCode { code: 968, regions: &[168 /* OM */], lengths: &[7, 8, 9], local_lengths: &[] },
    CallingCode { code: 970, regions: &[178 /* PS */], lengths: &[8, 9, 10], local_lengths: &[7] },
    CallingCode { code: 971, regions: &[2 /* AE */], lengths: &[5, 6, 7, 8, 9, 10, 11, 12], local_lengths: &[] },
    CallingCode { code: 972, regions: &[99 /* IL */], lengths: &[7, 8, 9, 10, 11, 12], local_lengths: &[] },
    CallingCode { code: 973, regions: &[22 /* BH */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 974, regions: &[182 /* QA */], lengths: &[7, 8, 9, 11], local_lengths: &[] },
    CallingCode { code: 975, regions: &[32 /* BT */], lengths: &[7, 8], local_lengths: &[6] },
    CallingCode { code: 976, regions: &[143 /* MN */], lengths: &[8, 9, 10], local_lengths: &[4, 5, 6] },
    CallingCode { code: 977, regions: &[164 /* NP */], lengths: &[8, 10, 11], local_lengths: &[6, 7] },
    CallingCode { code: 979, regions: &[], lengths: &[9], local_lengths: &[8] },
    CallingCode { code: 992, regions: &[214 /* TJ */], lengths: &[9], local_lengths: &[3, 5, 6, 7] },
    CallingCode { code: 993, regions: &[217 /* TM */], lengths: &[8], local_lengths: &[] },
    CallingCode { code: 994, regions: &[15 /* AZ */], lengths: &[9], local_lengths: &[7] },
    CallingCode { code: 995, regions: &[77 /* GE */], lengths: &[9], local_lengths: &[6, 7] },
    CallingCode { code: 996, regions: &[112 /* KG */], lengths: &[9, 10], local_lengths: &[5, 6] },
    CallingCode { code: 998, regions: &[229 /* UZ */], lengths: &[9], local_lengths: &[] },
];

pub(crate) const REGION_PLANS: &[RegionPlan] = &[
    RegionPlan { region: Region::from_index(0), code: 247, national_prefix: "", international_prefix: "00", lengths: &[5, 6], local_lengths: &[] }, // AC
    RegionPlan { region: Region::from_index(1), code: 376, national_prefix: "", international_prefix: "00", lengths: &[6, 8, 9], local_lengths: &[] }, // AD
    RegionPlan { region: Region::from_index(2), code: 971, national_prefix: "0", international_prefix: "00", lengths: &[5, 6, 7, 8, 9, 10, 11, 12], local_lengths: &[] }, // AE
    RegionPlan { region: Region::from_index(3), code: 93, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[7] }, // AF
    RegionPlan { region: Region::from_index(4), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // AG
    RegionPlan { region: Region::from_index(5), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // AI
    RegionPlan { region: Region::from_index(6), code: 355, national_prefix: "0", international_prefix: "00", lengths: &[6, 7, 8, 9], local_lengths: &[5] }, // AL
    RegionPlan { region: Region::from_index(7), code: 374, national_prefix: "0", international_prefix: "00", lengths: &[8], local_lengths: &[5, 6] }, // AM
    RegionPlan { region: Region::from_index(8), code: 244, national_prefix: "", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // AO
    RegionPlan { region: Region::from_index(10), code: 54, national_prefix: "0", international_prefix: "00", lengths: &[10, 11], local_lengths: &[6, 7, 8] }, // AR
    RegionPlan { region: Region::from_index(11), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // AS
    RegionPlan { region: Region::from_index(12), code: 43, national_prefix: "0", international_prefix: "00", lengths: &[4, 5, 6, 7, 8, 9, 10, 11, 12, 13], local_lengths: &[3] }, // AT
    RegionPlan { region: Region::from_index(13), code: 61, national_prefix: "0", international_prefix: "", lengths: &[5, 6, 7, 8, 9, 10, 12], local_lengths: &[] }, // AU
    RegionPlan { region: Region::from_index(14), code: 297, national_prefix: "", international_prefix: "00", lengths: &[7], local_lengths: &[] }, // AW
    RegionPlan { region: Region::from_index(15), code: 358, national_prefix: "0", international_prefix: "", lengths: &[5, 6, 7, 8, 9, 10, 11, 12], local_lengths: &[] }, // AX
    RegionPlan { region: Region::from_index(16), code: 994, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[7] }, // AZ
    RegionPlan { region: Region::from_index(17), code: 387, national_prefix: "0", international_prefix: "00", lengths: &[8, 9], local_lengths: &[6] }, // BA
    RegionPlan { region: Region::from_index(18), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // BB
    RegionPlan { region: Region::from_index(19), code: 880, national_prefix: "0", international_prefix: "00", lengths: &[6, 7, 8, 9, 10], local_lengths: &[] }, // BD
    RegionPlan { region: Region::from_index(20), code: 32, national_prefix: "0", international_prefix: "00", lengths: &[8, 9], local_lengths: &[] }, // BE
    RegionPlan { region: Region::from_index(21), code: 226, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // BF
    RegionPlan { region: Region::from_index(22), code: 359, national_prefix: "0", international_prefix: "00", lengths: &[6, 7, 8, 9, 12], local_lengths: &[4, 5] }, // BG
    RegionPlan { region: Region::from_index(23), code: 973, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // BH
    RegionPlan { region: Region::from_index(24), code: 257, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // BI
    RegionPlan { region: Region::from_index(25), code: 229, national_prefix: "", international_prefix: "00", lengths: &[8, 10], local_lengths: &[] }, // BJ
    RegionPlan { region: Region::from_index(26), code: 590, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // BL
    RegionPlan { region: Region::from_index(27), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // BM
    RegionPlan { region: Region::from_index(28), code: 673, national_prefix: "", international_prefix: "00", lengths: &[7], local_lengths: &[] }, // BN
    RegionPlan { region: Region::from_index(29), code: 591, national_prefix: "0", international_prefix: "", lengths: &[8, 9], local_lengths: &[7] }, // BO
    RegionPlan { region: Region::from_index(30), code: 599, national_prefix: "", international_prefix: "00", lengths: &[7], local_lengths: &[] }, // BQ
    RegionPlan { region: Region::from_index(31), code: 55, national_prefix: "0", international_prefix: "", lengths: &[8, 9, 10, 11], local_lengths: &[] }, // BR
    RegionPlan { region: Region::from_index(32), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // BS
    RegionPlan { region: Region::from_index(33), code: 975, national_prefix: "", international_prefix: "00", lengths: &[7, 8], local_lengths: &[6] }, // BT
    RegionPlan { region: Region::from_index(35), code: 267, national_prefix: "", international_prefix: "00", lengths: &[7, 8, 10], local_lengths: &[] }, // BW
    RegionPlan { region: Region::from_index(36), code: 375, national_prefix: "8", international_prefix: "810", lengths: &[6, 7, 8, 9, 10, 11], local_lengths: &[5] }, // BY
    RegionPlan { region: Region::from_index(37), code: 501, national_prefix: "", international_prefix: "00", lengths: &[7, 11], local_lengths: &[] }, // BZ
    RegionPlan { region: Region::from_index(38), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[7, 10], local_lengths: &[] }, // CA
    RegionPlan { region: Region::from_index(39), code: 61, national_prefix: "0", international_prefix: "", lengths: &[6, 7, 8, 9, 10, 12], local_lengths: &[] }, // CC
    RegionPlan { region: Region::from_index(40), code: 243, national_prefix: "0", international_prefix: "00", lengths: &[7, 8, 9, 10], local_lengths: &[] }, // CD
    RegionPlan { region: Region::from_index(41), code: 236, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // CF
    RegionPlan { region: Region::from_index(42), code: 242, national_prefix: "", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // CG
    RegionPlan { region: Region::from_index(43), code: 41, national_prefix: "0", international_prefix: "00", lengths: &[9, 12], local_lengths: &[] }, // CH
    RegionPlan { region: Region::from_index(44), code: 225, national_prefix: "", international_prefix: "00", lengths: &[10], local_lengths: &[] }, // CI
    RegionPlan { region: Region::from_index(45), code: 682, national_prefix: "", international_prefix: "00", lengths: &[5], local_lengths: &[] }, // CK
    RegionPlan { region: Region::from_index(46), code: 56, national_prefix: "", international_prefix: "", lengths: &[9, 10, 11], local_lengths: &[] }, // CL
    RegionPlan { region: Region::from_index(47), code: 237, national_prefix: "", international_prefix: "00", lengths: &[8, 9], local_lengths: &[] }, // CM
    RegionPlan { region: Region::from_index(48), code: 86, national_prefix: "0", international_prefix: "", lengths: &[7, 8, 9, 10, 11, 12], local_lengths: &[5, 6] }, // CN
    RegionPlan { region: Region::from_index(49), code: 57, national_prefix: "0", international_prefix: "", lengths: &[8, 10, 11], local_lengths: &[4, 7] }, // CO
    RegionPlan { region: Region::from_index(50), code: 506, national_prefix: "", international_prefix: "00", lengths: &[8, 10], local_lengths: &[] }, // CR
    RegionPlan { region: Region::from_index(51), code: 53, national_prefix: "0", international_prefix: "119", lengths: &[6, 7, 8, 10], local_lengths: &[4, 5] }, // CU
    RegionPlan { region: Region::from_index(52), code: 238, national_prefix: "", international_prefix: "0", lengths: &[7], local_lengths: &[] }, // CV
    RegionPlan { region: Region::from_index(53), code: 599, national_prefix: "", international_prefix: "00", lengths: &[7, 8], local_lengths: &[] }, // CW
    RegionPlan { region: Region::from_index(54), code: 61, national_prefix: "0", international_prefix: "", lengths: &[6, 7, 8, 9, 10, 12], local_lengths: &[] }, // CX
    RegionPlan { region: Region::from_index(55), code: 357, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // CY
    RegionPlan { region: Region::from_index(56), code: 420, national_prefix: "", international_prefix: "00", lengths: &[9, 10, 11, 12], local_lengths: &[] }, // CZ
    RegionPlan { region: Region::from_index(57), code: 49, national_prefix: "0", international_prefix: "00", lengths: &[4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], local_lengths: &[2, 3] }, // DE
    RegionPlan { region: Region::from_index(58), code: 253, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // DJ
    RegionPlan { region: Region::from_index(59), code: 45, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // DK
    RegionPlan { region: Region::from_index(60), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // DM
    RegionPlan { region: Region::from_index(61), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // DO
    RegionPlan { region: Region::from_index(62), code: 213, national_prefix: "0", international_prefix: "00", lengths: &[8, 9], local_lengths: &[] }, // DZ
    RegionPlan { region: Region::from_index(63), code: 593, national_prefix: "0", international_prefix: "00", lengths: &[8, 9, 10, 11], local_lengths: &[7] }, // EC
    RegionPlan { region: Region::from_index(64), code: 372, national_prefix: "", international_prefix: "00", lengths: &[7, 8, 10], local_lengths: &[] }, // EE
    RegionPlan { region: Region::from_index(65), code: 20, national_prefix: "0", international_prefix: "00", lengths: &[8, 9, 10], local_lengths: &[6, 7] }, // EG
    RegionPlan { region: Region::from_index(66), code: 212, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // EH
    RegionPlan { region: Region::from_index(67), code: 291, national_prefix: "0", international_prefix: "00", lengths: &[7], local_lengths: &[6] }, // ER
    RegionPlan { region: Region::from_index(68), code: 34, national_prefix: "", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // ES
    RegionPlan { region: Region::from_index(69), code: 251, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[7] }, // ET
    RegionPlan { region: Region::from_index(70), code: 358, national_prefix: "0", international_prefix: "", lengths: &[5, 6, 7, 8, 9, 10, 11, 12], local_lengths: &[] }, // FI
    RegionPlan { region: Region::from_index(71), code: 679, national_prefix: "", international_prefix: "", lengths: &[7, 11], local_lengths: &[] }, // FJ
    RegionPlan { region: Region::from_index(72), code: 500, national_prefix: "", international_prefix: "00", lengths: &[5], local_lengths: &[] }, // FK
    RegionPlan { region: Region::from_index(73), code: 691, national_prefix: "", international_prefix: "00", lengths: &[7], local_lengths: &[] }, // FM
    RegionPlan { region: Region::from_index(74), code: 298, national_prefix: "", international_prefix: "00", lengths: &[6], local_lengths: &[] }, // FO
    RegionPlan { region: Region::from_index(75), code: 33, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // FR
    RegionPlan { region: Region::from_index(76), code: 241, national_prefix: "", international_prefix: "00", lengths: &[7, 8], local_lengths: &[] }, // GA
    RegionPlan { region: Region::from_index(77), code: 44, national_prefix: "0", international_prefix: "00", lengths: &[7, 9, 10], local_lengths: &[4, 5, 6, 8] }, // GB
    RegionPlan { region: Region::from_index(78), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // GD
    RegionPlan { region: Region::from_index(79), code: 995, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[6, 7] }, // GE
    RegionPlan { region: Region::from_index(80), code: 594, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // GF
    RegionPlan { region: Region::from_index(81), code: 44, national_prefix: "0", international_prefix: "00", lengths: &[7, 9, 10], local_lengths: &[6] }, // GG
    RegionPlan { region: Region::from_index(82), code: 233, national_prefix: "0", international_prefix: "00", lengths: &[8, 9], local_lengths: &[7] }, // GH
    RegionPlan { region: Region::from_index(83), code: 350, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // GI
    RegionPlan { region: Region::from_index(84), code: 299, national_prefix: "", international_prefix: "00", lengths: &[6], local_lengths: &[] }, // GL
    RegionPlan { region: Region::from_index(85), code: 220, national_prefix: "", international_prefix: "00", lengths: &[7], local_lengths: &[] }, // GM
    RegionPlan { region: Region::from_index(86), code: 224, national_prefix: "", international_prefix: "00", lengths: &[8, 9], local_lengths: &[] }, // GN
    RegionPlan { region: Region::from_index(87), code: 590, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // GP
    RegionPlan { region: Region::from_index(88), code: 240, national_prefix: "", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // GQ
    RegionPlan { region: Region::from_index(89), code: 30, national_prefix: "", international_prefix: "00", lengths: &[10, 11, 12], local_lengths: &[] }, // GR
    RegionPlan { region: Region::from_index(91), code: 502, national_prefix: "", international_prefix: "00", lengths: &[8, 11], local_lengths: &[] }, // GT
    RegionPlan { region: Region::from_index(92), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // GU
    RegionPlan { region: Region::from_index(93), code: 245, national_prefix: "", international_prefix: "00", lengths: &[7, 9], local_lengths: &[] }, // GW
    RegionPlan { region: Region::from_index(94), code: 592, national_prefix: "", international_prefix: "001", lengths: &[7], local_lengths: &[] }, // GY
    RegionPlan { region: Region::from_index(95), code: 852, national_prefix: "", international_prefix: "", lengths: &[5, 6, 7, 8, 9, 11], local_lengths: &[] }, // HK
    RegionPlan { region: Region::from_index(97), code: 504, national_prefix: "", international_prefix: "00", lengths: &[8, 11], local_lengths: &[] }, // HN
    RegionPlan { region: Region::from_index(98), code: 385, national_prefix: "0", international_prefix: "00", lengths: &[7, 8, 9], local_lengths: &[6] }, // HR
    RegionPlan { region: Region::from_index(99), code: 509, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // HT
    RegionPlan { region: Region::from_index(100), code: 36, national_prefix: "06", international_prefix: "00", lengths: &[8, 9], local_lengths: &[6, 7] }, // HU
    RegionPlan { region: Region::from_index(101), code: 62, national_prefix: "0", international_prefix: "", lengths: &[7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17], local_lengths: &[5, 6] }, // ID
    RegionPlan { region: Region::from_index(102), code: 353, national_prefix: "0", international_prefix: "00", lengths: &[7, 8, 9, 10], local_lengths: &[5, 6] }, // IE
    RegionPlan { region: Region::from_index(103), code: 972, national_prefix: "0", international_prefix: "", lengths: &[7, 8, 9, 10, 11, 12], local_lengths: &[] }, // IL
    RegionPlan { region: Region::from_index(104), code: 44, national_prefix: "0", international_prefix: "00", lengths: &[10], local_lengths: &[6] }, // IM
    RegionPlan { region: Region::from_index(105), code: 91, national_prefix: "0", international_prefix: "00", lengths: &[8, 9, 10, 11, 12, 13], local_lengths: &[6, 7] }, // IN
    RegionPlan { region: Region::from_index(106), code: 246, national_prefix: "", international_prefix: "00", lengths: &[7], local_lengths: &[] }, // IO
    RegionPlan { region: Region::from_index(107), code: 964, national_prefix: "0", international_prefix: "00", lengths: &[8, 9, 10], local_lengths: &[6, 7] }, // IQ
    RegionPlan { region: Region::from_index(108), code: 98, national_prefix: "0", international_prefix: "00", lengths: &[4, 5, 6, 7, 10], local_lengths: &[8] }, // IR
    RegionPlan { region: Region::from_index(109), code: 354, national_prefix: "", international_prefix: "", lengths: &[7, 9], local_lengths: &[] }, // IS
    RegionPlan { region: Region::from_index(110), code: 39, national_prefix: "", international_prefix: "00", lengths: &[6, 7, 8, 9, 10, 11, 12], local_lengths: &[] }, // IT
    RegionPlan { region: Region::from_index(111), code: 44, national_prefix: "0", international_prefix: "00", lengths: &[10], local_lengths: &[6] }, // JE
    RegionPlan { region: Region::from_index(112), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // JM
    RegionPlan { region: Region::from_index(113), code: 962, national_prefix: "0", international_prefix: "00", lengths: &[8, 9], local_lengths: &[] }, // JO
    RegionPlan { region: Region::from_index(114), code: 81, national_prefix: "0", international_prefix: "010", lengths: &[8, 9, 10, 11, 12, 13, 14, 15, 16, 17], local_lengths: &[] }, // JP
    RegionPlan { region: Region::from_index(115), code: 254, national_prefix: "0", international_prefix: "000", lengths: &[7, 8, 9, 10], local_lengths: &[] }, // KE
    RegionPlan { region: Region::from_index(116), code: 996, national_prefix: "0", international_prefix: "00", lengths: &[9, 10], local_lengths: &[5, 6] }, // KG
    RegionPlan { region: Region::from_index(117), code: 855, national_prefix: "0", international_prefix: "", lengths: &[8, 9, 10], local_lengths: &[6, 7] }, // KH
    RegionPlan { region: Region::from_index(118), code: 686, national_prefix: "0", international_prefix: "00", lengths: &[5, 8], local_lengths: &[] }, // KI
    RegionPlan { region: Region::from_index(119), code: 269, national_prefix: "", international_prefix: "00", lengths: &[7], local_lengths: &[4] }, // KM
    RegionPlan { region: Region::from_index(120), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // KN
    RegionPlan { region: Region::from_index(121), code: 850, national_prefix: "0", international_prefix: "", lengths: &[8, 10], local_lengths: &[6, 7] }, // KP
    RegionPlan { region: Region::from_index(122), code: 82, national_prefix: "0", international_prefix: "", lengths: &[5, 6, 8, 9, 10, 11, 12, 13, 14], local_lengths: &[3, 4, 7] }, // KR
    RegionPlan { region: Region::from_index(123), code: 965, national_prefix: "", international_prefix: "00", lengths: &[7, 8], local_lengths: &[] }, // KW
    RegionPlan { region: Region::from_index(124), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // KY
    RegionPlan { region: Region::from_index(125), code: 7, national_prefix: "8", international_prefix: "810", lengths: &[10, 14], local_lengths: &[5, 6, 7] }, // KZ
    RegionPlan { region: Region::from_index(126), code: 856, national_prefix: "0", international_prefix: "00", lengths: &[8, 9, 10], local_lengths: &[6] }, // LA
    RegionPlan { region: Region::from_index(127), code: 961, national_prefix: "0", international_prefix: "00", lengths: &[7, 8], local_lengths: &[] }, // LB
    RegionPlan { region: Region::from_index(128), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // LC
    RegionPlan { region: Region::from_index(129), code: 423, national_prefix: "0", international_prefix: "00", lengths: &[7, 9], local_lengths: &[] }, // LI
    RegionPlan { region: Region::from_index(130), code: 94, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[7] }, // LK
    RegionPlan { region: Region::from_index(131), code: 231, national_prefix: "0", international_prefix: "00", lengths: &[7, 8, 9], local_lengths: &[] }, // LR
    RegionPlan { region: Region::from_index(132), code: 266, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // LS
    RegionPlan { region: Region::from_index(133), code: 370, national_prefix: "0", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // LT
    RegionPlan { region: Region::from_index(134), code: 352, national_prefix: "", international_prefix: "00", lengths: &[4, 5, 6, 7, 8, 9, 10, 11], local_lengths: &[] }, // LU
    RegionPlan { region: Region::from_index(135), code: 371, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // LV
    RegionPlan { region: Region::from_index(136), code: 218, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[7] }, // LY
    RegionPlan { region: Region::from_index(137), code: 212, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // MA
    RegionPlan { region: Region::from_index(138), code: 377, national_prefix: "0", international_prefix: "00", lengths: &[8, 9], local_lengths: &[] }, // MC
    RegionPlan { region: Region::from_index(139), code: 373, national_prefix: "0", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // MD
    RegionPlan { region: Region::from_index(140), code: 382, national_prefix: "0", international_prefix: "00", lengths: &[8, 9], local_lengths: &[6] }, // ME
    RegionPlan { region: Region::from_index(141), code: 590, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // MF
    RegionPlan { region: Region::from_index(142), code: 261, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[7] }, // MG
    RegionPlan { region: Region::from_index(143), code: 692, national_prefix: "1", international_prefix: "011", lengths: &[7], local_lengths: &[] }, // MH
    RegionPlan { region: Region::from_index(144), code: 389, national_prefix: "0", international_prefix: "00", lengths: &[8], local_lengths: &[6, 7] }, // MK
    RegionPlan { region: Region::from_index(145), code: 223, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // ML
    RegionPlan { region: Region::from_index(146), code: 95, national_prefix: "0", international_prefix: "00", lengths: &[6, 7, 8, 9, 10], local_lengths: &[5] }, // MM
    RegionPlan { region: Region::from_index(147), code: 976, national_prefix: "0", international_prefix: "001", lengths: &[8, 9, 10], local_lengths: &[4, 5, 6] }, // MN
    RegionPlan { region: Region::from_index(148), code: 853, national_prefix: "", international_prefix: "00", lengths: &[7, 8], local_lengths: &[] }, // MO
    RegionPlan { region: Region::from_index(149), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // MP
    RegionPlan { region: Region::from_index(150), code: 596, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // MQ
    RegionPlan { region: Region::from_index(151), code: 222, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // MR
    RegionPlan { region: Region::from_index(152), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // MS
    RegionPlan { region: Region::from_index(153), code: 356, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // MT
    RegionPlan { region: Region::from_index(154), code: 230, national_prefix: "", international_prefix: "", lengths: &[7, 8, 10], local_lengths: &[] }, // MU
    RegionPlan { region: Region::from_index(155), code: 960, national_prefix: "", international_prefix: "", lengths: &[7, 10], local_lengths: &[] }, // MV
    RegionPlan { region: Region::from_index(156), code: 265, national_prefix: "0", international_prefix: "00", lengths: &[7, 9], local_lengths: &[] }, // MW
    RegionPlan { region: Region::from_index(157), code: 52, national_prefix: "", international_prefix: "", lengths: &[10], local_lengths: &[7, 8] }, // MX
    RegionPlan { region: Region::from_index(158), code: 60, national_prefix: "0", international_prefix: "00", lengths: &[8, 9, 10], local_lengths: &[6, 7] }, // MY
    RegionPlan { region: Region::from_index(159), code: 258, national_prefix: "", international_prefix: "00", lengths: &[8, 9], local_lengths: &[] }, // MZ
    RegionPlan { region: Region::from_index(160), code: 264, national_prefix: "0", international_prefix: "00", lengths: &[8, 9], local_lengths: &[] }, // NA
    RegionPlan { region: Region::from_index(161), code: 687, national_prefix: "", international_prefix: "00", lengths: &[6], local_lengths: &[] }, // NC
    RegionPlan { region: Region::from_index(162), code: 227, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // NE
    RegionPlan { region: Region::from_index(163), code: 672, national_prefix: "", international_prefix: "00", lengths: &[6], local_lengths: &[5] }, // NF
    RegionPlan { region: Region::from_index(164), code: 234, national_prefix: "0", international_prefix: "009", lengths: &[10, 11, 12, 13, 14], local_lengths: &[6, 7] }, // NG
    RegionPlan { region: Region::from_index(165), code: 505, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // NI
    RegionPlan { region: Region::from_index(166), code: 31, national_prefix: "0", international_prefix: "00", lengths: &[5, 6, 7, 8, 9, 10, 11], local_lengths: &[] }, // NL
    RegionPlan { region: Region::from_index(167), code: 47, national_prefix: "", international_prefix: "00", lengths: &[5, 8], local_lengths: &[] }, // NO
    RegionPlan { region: Region::from_index(168), code: 977, national_prefix: "0", international_prefix: "00", lengths: &[8, 10, 11], local_lengths: &[6, 7] }, // NP
    RegionPlan { region: Region::from_index(169), code: 674, national_prefix: "", international_prefix: "00", lengths: &[7], local_lengths: &[] }, // NR
    RegionPlan { region: Region::from_index(170), code: 683, national_prefix: "", international_prefix: "00", lengths: &[4, 7], local_lengths: &[] }, // NU
    RegionPlan { region: Region::from_index(171), code: 64, national_prefix: "0", international_prefix: "", lengths: &[5, 6, 7, 8, 9, 10], local_lengths: &[] }, // NZ
    RegionPlan { region: Region::from_index(172), code: 968, national_prefix: "", international_prefix: "00", lengths: &[7, 8, 9], local_lengths: &[] }, // OM
    RegionPlan { region: Region::from_index(173), code: 507, national_prefix: "", international_prefix: "00", lengths: &[7, 8, 10, 11], local_lengths: &[] }, // PA
    RegionPlan { region: Region::from_index(174), code: 51, national_prefix: "0", international_prefix: "", lengths: &[8, 9], local_lengths: &[6, 7] }, // PE
    RegionPlan { region: Region::from_index(175), code: 689, national_prefix: "", international_prefix: "00", lengths: &[6, 8, 9], local_lengths: &[] }, // PF
    RegionPlan { region: Region::from_index(176), code: 675, national_prefix: "", international_prefix: "", lengths: &[7, 8], local_lengths: &[] }, // PG
    RegionPlan { region: Region::from_index(177), code: 63, national_prefix: "0", international_prefix: "00", lengths: &[6, 8, 9, 10, 11, 12, 13], local_lengths: &[4, 5, 7] }, // PH
    RegionPlan { region: Region::from_index(178), code: 92, national_prefix: "0", international_prefix: "00", lengths: &[8, 9, 10, 11, 12], local_lengths: &[5, 6, 7] }, // PK
    RegionPlan { region: Region::from_index(179), code: 48, national_prefix: "", international_prefix: "00", lengths: &[6, 7, 8, 9, 10], local_lengths: &[] }, // PL
    RegionPlan { region: Region::from_index(180), code: 508, national_prefix: "0", international_prefix: "00", lengths: &[6, 9], local_lengths: &[] }, // PM
    RegionPlan { region: Region::from_index(182), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // PR
    RegionPlan { region: Region::from_index(183), code: 970, national_prefix: "0", international_prefix: "00", lengths: &[8, 9, 10], local_lengths: &[7] }, // PS
    RegionPlan { region: Region::from_index(184), code: 351, national_prefix: "", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // PT
    RegionPlan { region: Region::from_index(185), code: 680, national_prefix: "", international_prefix: "", lengths: &[7], local_lengths: &[] }, // PW
    RegionPlan { region: Region::from_index(186), code: 595, national_prefix: "0", international_prefix: "00", lengths: &[6, 7, 8, 9, 10, 11], local_lengths: &[5] }, // PY
    RegionPlan { region: Region::from_index(187), code: 974, national_prefix: "", international_prefix: "00", lengths: &[7, 8, 9, 11], local_lengths: &[] }, // QA
    RegionPlan { region: Region::from_index(188), code: 262, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // RE
    RegionPlan { region: Region::from_index(189), code: 40, national_prefix: "0", international_prefix: "00", lengths: &[6, 9], local_lengths: &[] }, // RO
    RegionPlan { region: Region::from_index(190), code: 381, national_prefix: "0", international_prefix: "00", lengths: &[6, 7, 8, 9, 10, 11, 12], local_lengths: &[4, 5] }, // RS
    RegionPlan { region: Region::from_index(191), code: 7, national_prefix: "8", international_prefix: "810", lengths: &[10, 14], local_lengths: &[7] }, // RU
    RegionPlan { region: Region::from_index(192), code: 250, national_prefix: "0", international_prefix: "00", lengths: &[8, 9], local_lengths: &[] }, // RW
    RegionPlan { region: Region::from_index(193), code: 966, national_prefix: "0", international_prefix: "00", lengths: &[9, 10], local_lengths: &[7] }, // SA
    RegionPlan { region: Region::from_index(194), code: 677, national_prefix: "", international_prefix: "", lengths: &[5, 7], local_lengths: &[] }, // SB
    RegionPlan { region: Region::from_index(195), code: 248, national_prefix: "", international_prefix: "", lengths: &[7], local_lengths: &[] }, // SC
    RegionPlan { region: Region::from_index(196), code: 249, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // SD
    RegionPlan { region: Region::from_index(197), code: 46, national_prefix: "0", international_prefix: "00", lengths: &[6, 7, 8, 9, 10, 12], local_lengths: &[] }, // SE
    RegionPlan { region: Region::from_index(198), code: 65, national_prefix: "", international_prefix: "", lengths: &[8, 10, 11], local_lengths: &[] }, // SG
    RegionPlan { region: Region::from_index(199), code: 290, national_prefix: "", international_prefix: "00", lengths: &[4, 5], local_lengths: &[] }, // SH
    RegionPlan { region: Region::from_index(200), code: 386, national_prefix: "0", international_prefix: "", lengths: &[5, 6, 7, 8], local_lengths: &[] }, // SI
    RegionPlan { region: Region::from_index(201), code: 47, national_prefix: "", international_prefix: "00", lengths: &[5, 8], local_lengths: &[] }, // SJ
    RegionPlan { region: Region::from_index(202), code: 421, national_prefix: "0", international_prefix: "00", lengths: &[6, 7, 9], local_lengths: &[] }, // SK
    RegionPlan { region: Region::from_index(203), code: 232, national_prefix: "0", international_prefix: "00", lengths: &[8], local_lengths: &[6] }, // SL
    RegionPlan { region: Region::from_index(204), code: 378, national_prefix: "", international_prefix: "00", lengths: &[8, 10], local_lengths: &[6] }, // SM
    RegionPlan { region: Region::from_index(205), code: 221, national_prefix: "", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // SN
    RegionPlan { region: Region::from_index(206), code: 252, national_prefix: "0", international_prefix: "00", lengths: &[6, 7, 8, 9], local_lengths: &[] }, // SO
    RegionPlan { region: Region::from_index(207), code: 597, national_prefix: "", international_prefix: "00", lengths: &[6, 7], local_lengths: &[] }, // SR
    RegionPlan { region: Region::from_index(208), code: 211, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // SS
    RegionPlan { region: Region::from_index(209), code: 239, national_prefix: "", international_prefix: "00", lengths: &[7], local_lengths: &[] }, // ST
    RegionPlan { region: Region::from_index(210), code: 503, national_prefix: "", international_prefix: "00", lengths: &[7, 8, 11], local_lengths: &[] }, // SV
    RegionPlan { region: Region::from_index(211), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // SX
    RegionPlan { region: Region::from_index(212), code: 963, national_prefix: "0", international_prefix: "00", lengths: &[8, 9], local_lengths: &[6, 7] }, // SY
    RegionPlan { region: Region::from_index(213), code: 268, national_prefix: "", international_prefix: "00", lengths: &[8, 9], local_lengths: &[] }, // SZ
    RegionPlan { region: Region::from_index(214), code: 290, national_prefix: "", international_prefix: "00", lengths: &[4], local_lengths: &[] }, // TA
    RegionPlan { region: Region::from_index(215), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // TC
    RegionPlan { region: Region::from_index(216), code: 235, national_prefix: "", international_prefix: "", lengths: &[8], local_lengths: &[] }, // TD
    RegionPlan { region: Region::from_index(218), code: 228, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // TG
    RegionPlan { region: Region::from_index(219), code: 66, national_prefix: "0", international_prefix: "", lengths: &[8, 9, 10, 13], local_lengths: &[] }, // TH
    RegionPlan { region: Region::from_index(220), code: 992, national_prefix: "", international_prefix: "810", lengths: &[9], local_lengths: &[3, 5, 6, 7] }, // TJ
    RegionPlan { region: Region::from_index(221), code: 690, national_prefix: "", international_prefix: "00", lengths: &[4, 5, 6, 7], local_lengths: &[] }, // TK
    RegionPlan { region: Region::from_index(222), code: 670, national_prefix: "", international_prefix: "00", lengths: &[7, 8], local_lengths: &[] }, // TL
    RegionPlan { region: Region::from_index(223), code: 993, national_prefix: "8", international_prefix: "810", lengths: &[8], local_lengths: &[] }, // TM
    RegionPlan { region: Region::from_index(224), code: 216, national_prefix: "", international_prefix: "00", lengths: &[8], local_lengths: &[] }, // TN
    RegionPlan { region: Region::from_index(225), code: 676, national_prefix: "", international_prefix: "00", lengths: &[5, 7], local_lengths: &[] }, // TO
    RegionPlan { region: Region::from_index(226), code: 90, national_prefix: "0", international_prefix: "00", lengths: &[7, 10, 12, 13], local_lengths: &[] }, // TR
    RegionPlan { region: Region::from_index(227), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // TT
    RegionPlan { region: Region::from_index(228), code: 688, national_prefix: "", international_prefix: "00", lengths: &[5, 6, 7], local_lengths: &[] }, // TV
    RegionPlan { region: Region::from_index(229), code: 886, national_prefix: "0", international_prefix: "", lengths: &[7, 8, 9, 10, 11], local_lengths: &[] }, // TW
    RegionPlan { region: Region::from_index(230), code: 255, national_prefix: "0", international_prefix: "", lengths: &[9], local_lengths: &[] }, // TZ
    RegionPlan { region: Region::from_index(231), code: 380, national_prefix: "0", international_prefix: "00", lengths: &[9, 10], local_lengths: &[5, 6, 7] }, // UA
    RegionPlan { region: Region::from_index(232), code: 256, national_prefix: "0", international_prefix: "", lengths: &[9], local_lengths: &[5, 6, 7] }, // UG
    RegionPlan { region: Region::from_index(234), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // US
    RegionPlan { region: Region::from_index(235), code: 598, national_prefix: "0", international_prefix: "", lengths: &[4, 5, 6, 7, 8, 9, 10, 11, 12, 13], local_lengths: &[] }, // UY
    RegionPlan { region: Region::from_index(236), code: 998, national_prefix: "", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // UZ
    RegionPlan { region: Region::from_index(237), code: 39, national_prefix: "", international_prefix: "00", lengths: &[6, 7, 8, 9, 10, 11, 12], local_lengths: &[] }, // VA
    RegionPlan { region: Region::from_index(238), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // VC
    RegionPlan { region: Region::from_index(239), code: 58, national_prefix: "0", international_prefix: "00", lengths: &[10], local_lengths: &[7] }, // VE
    RegionPlan { region: Region::from_index(240), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // VG
    RegionPlan { region: Region::from_index(241), code: 1, national_prefix: "1", international_prefix: "011", lengths: &[10], local_lengths: &[7] }, // VI
    RegionPlan { region: Region::from_index(242), code: 84, national_prefix: "0", international_prefix: "00", lengths: &[7, 8, 9, 10], local_lengths: &[] }, // VN
    RegionPlan { region: Region::from_index(243), code: 678, national_prefix: "", international_prefix: "00", lengths: &[5, 7], local_lengths: &[] }, // VU
    RegionPlan { region: Region::from_index(244), code: 681, national_prefix: "", international_prefix: "00", lengths: &[6, 9], local_lengths: &[] }, // WF
    RegionPlan { region: Region::from_index(245), code: 685, national_prefix: "", international_prefix: "0", lengths: &[5, 6, 7, 10], local_lengths: &[] }, // WS
    RegionPlan { region: Region::from_index(246), code: 383, national_prefix: "0", international_prefix: "00", lengths: &[8, 9, 10, 11, 12], local_lengths: &[] }, // XK
    RegionPlan { region: Region::from_index(247), code: 967, national_prefix: "0", international_prefix: "00", lengths: &[7, 8, 9], local_lengths: &[6] }, // YE
    RegionPlan { region: Region::from_index(248), code: 262, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[] }, // YT
    RegionPlan { region: Region::from_index(249), code: 27, national_prefix: "0", international_prefix: "00", lengths: &[5, 6, 7, 8, 9, 10], local_lengths: &[] }, // ZA
    RegionPlan { region: Region::from_index(250), code: 260, national_prefix: "0", international_prefix: "00", lengths: &[9], local_lengths: &[6] }, // ZM
    RegionPlan { region: Region::from_index(251), code: 263, national_prefix: "0", international_prefix: "00", lengths: &[5, 6, 7, 8, 9, 10], local_lengths: &[3, 4] }, // ZW
];
