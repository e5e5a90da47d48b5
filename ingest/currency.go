package ingest

import "strings"

// isoCurrencies is the fixed list of ISO 4217 alphabetic codes accepted in
// currency columns: the codes in use, plus a few withdrawn recently enough to
// appear in a year of history (HRK, SLL, ZWL, ANG). XXX ("no currency") and
// XTS ("testing") are not money and are rejected.
var isoCurrencies = strings.Fields(`
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV
BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE
CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD
HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD
KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN
MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD
RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS
TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST
XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG
ZWL`)

// currencyLookupOrder is the list with the most traded currencies first,
// so that the usual lookup stops after a comparison or two.
var currencyLookupOrder = func() []string {
	first := []string{"USD", "EUR", "GBP", "JPY", "CAD", "AUD", "INR", "CHF", "SEK", "BRL", "CNY", "NOK", "DKK", "NZD", "SGD", "HKD", "KRW", "MXN", "ZAR", "PLN"}
	seen := map[string]bool{}
	out := append([]string(nil), first...)
	for _, c := range first {
		seen[c] = true
	}
	for _, c := range isoCurrencies {
		if !seen[c] {
			out = append(out, c)
		}
	}
	return out
}()

// IsCurrency reports whether code (any case) is in the accepted ISO 4217 list.
func IsCurrency(code string) bool {
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, c := range isoCurrencies {
		if c == code {
			return true
		}
	}
	return false
}
