package i18n

import "testing"

// TestExcelFormats: the number format codes the workbook's cells get, in
// Excel's en-US syntax with the language's locale id; English keeps the
// renderer's defaults.
func TestExcelFormats(t *testing.T) {
	en := For(English).Excel()
	if en.Integer != "" || en.Date != "" || en.Money("USD") != "" {
		t.Errorf("English formats %+v, want the defaults (empty)", en)
	}
	fr, zh := For(French).Excel(), For(Chinese).Excel()
	for _, c := range []struct{ name, got, want string }{
		{"fr integer", fr.Integer, "[$-40C]#,##0"},
		{"fr money", fr.Money("USD"), "[$-40C]#,##0.00\"\u00a0$US\""},
		{"fr euro", fr.Money("EUR"), "[$-40C]#,##0.00\"\u00a0€\""},
		{"fr percent", fr.Percent, "[$-40C]0.0\"\u00a0\"%"},
		{"fr date", fr.Date, "[$-40C]dd/mm/yyyy"},
		{"fr month", fr.Month, "[$-40C]mmm yyyy"},
		{"fr points", fr.Points, "[$-40C]+0.0\"\u00a0pt\";-0.0\"\u00a0pt\";0.0\"\u00a0pt\""},
		{"zh money", zh.Money("USD"), "[$-804]\"US$\"#,##0.00"},
		{"zh date", zh.Date, "[$-804]yyyy/mm/dd"},
		{"zh month", zh.Month, "[$-804]yyyy\"年\"m\"月\""},
		{"zh chart month", zh.ChartMonth, "[$-804]yyyy\"年\"m\"月\""},
		{"zh points", zh.Points, "[$-804]+0.0\"个百分点\";-0.0\"个百分点\";0.0\"个百分点\""},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
	if p := For(Pseudo).Excel(); p.Integer != "" {
		t.Errorf("pseudo formats %+v, want English's", p)
	}
}
