package portal

import "github.com/redresshq/redress/internal/complaint"

// responseMethodOf is the way the resident chose on "How should we
// contact you?" as the case records how they want to be answered (003:
// "we will agree with the customer how they would like us to respond.
// This may be by telephone, text, e-mail, face to face or in writing").
// Post is the letter; "" where nothing was chosen.
func responseMethodOf(contactBy string) complaint.ResponseMethod {
	switch contactBy {
	case "email":
		return complaint.ResponseEmail
	case "phone":
		return complaint.ResponsePhone
	case "text_message":
		return complaint.ResponseText
	case "face_to_face":
		return complaint.ResponseFaceToFace
	case "post":
		return complaint.ResponseLetter
	}
	return ""
}
